use gradscape::lab::slice;
use gradscape::surface::Surface;
use std::time::Instant;
fn time<F: FnMut()>(n: usize, mut f: F) -> f64 {
    f();
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed().as_secs_f64() / n as f64 * 1e3
}
fn main() {
    for text in [
        r#"{"runs":[{"dataset":"xor:n=100","hidden":[4],"l2":0.01,"seed":3}],"run":0,"updates":1200,"d1":"pca:1","d2":"pca:2","span":[5,1.5]}"#,
        r#"{"runs":[{"dataset":"spirals:k=3,n=625","hidden":[16,16]}],"run":0,"updates":500,"d1":"random:seed=1","d2":"random:seed=2","span":[1,1]}"#,
    ] {
        let t = Instant::now();
        let s = slice::surface(&[(slice::KEY.into(), text.into())]).unwrap();
        let build = t.elapsed().as_secs_f64() * 1e3;
        let (x, _) = s.landscape().data();
        let mut k = 0.0;
        let g = time(200, || {
            k += 1e-9;
            std::hint::black_box(s.value([k, 0.1]));
        });
        let gr = time(200, || {
            k += 1e-9;
            std::hint::black_box(s.gradient([k, 0.1]));
        });
        let h = time(50, || {
            k += 1e-9;
            std::hint::black_box(s.hessian([k, 0.1]));
        });
        let t = Instant::now();
        let c = s.critical_points();
        let crit = t.elapsed().as_secs_f64() * 1e3;
        println!("samples {} build {:.1} ms  g {:.3} ms  grad {:.3} ms  hess {:.3} ms  newton {:.1} ms {:?} cost {} samples/side {:?}", x.ncols(), build, g, gr, h, crit, c.len(), s.landscape().cost(), s.samples());
    }
}
