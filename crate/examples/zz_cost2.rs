use gradscape::nn::network::Forward;
use gradscape::nn::setup::Setup;
use std::time::Instant;
fn main() {
    let s: Setup =
        serde_json::from_str(r#"{"dataset":"spirals:k=3,n=625","hidden":[16,16]}"#).unwrap();
    let b = s.build().unwrap();
    let t = &b.trainer;
    let mut f = Forward::default();
    let x = &t.data.train.x;
    println!("n {}", x.ncols());
    for _ in 0..10 {
        t.network.forward_into(&t.theta, x, &mut f);
    }
    let n = 2000;
    let st = Instant::now();
    for _ in 0..n {
        t.network.forward_into(&t.theta, x, &mut f);
    }
    println!(
        "forward 500: {:.3} ms",
        st.elapsed().as_secs_f64() * 1e3 / n as f64
    );
    let st = Instant::now();
    for _ in 0..n {
        std::hint::black_box(t.network.data_loss(&f, t.train_targets()));
    }
    println!(
        "data_loss: {:.3} ms",
        st.elapsed().as_secs_f64() * 1e3 / n as f64
    );
    let s2: Setup = serde_json::from_str(r#"{"dataset":"spirals:n=1250","hidden":[8,8]}"#).unwrap();
    let mut tr = s2.build().unwrap().trainer;
    for _ in 0..1000 {
        tr.update();
    }
    let st = Instant::now();
    for _ in 0..20000 {
        tr.update();
    }
    println!(
        "2-8-8-2 updates/s {:.0}",
        20000.0 / st.elapsed().as_secs_f64()
    );
}
