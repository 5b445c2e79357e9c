use threadline_engine::{run, RunOptions};

fn out(src: &str) -> Vec<String> {
    let t = run(src, &RunOptions::default());
    t.output.iter().map(|l| l.text.clone()).collect()
}

#[test]
fn smoke() {
    assert_eq!(out("print('a'.upper())\n"), vec!["A"]);
}
