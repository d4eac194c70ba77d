//! Native runs against the bit-exact fixture the browser is also checked against.

mod determinism;

#[test]
fn native_runs_match_the_fixture_bit_for_bit() {
    let lines = determinism::lines();
    if std::env::var_os("GRADSCAPE_BLESS").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/native-bits.txt");
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
        return;
    }
    let fixture: Vec<&str> = determinism::FIXTURE.lines().collect();
    assert_eq!(fixture.len(), lines.len(), "rewrite with GRADSCAPE_BLESS=1");
    for (got, want) in lines.iter().zip(fixture) {
        assert_eq!(got, want);
    }
}
