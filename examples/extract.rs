//! Prints what extraction finds in a text, one mention a line: text, kind, evidence.
//!
//!     cargo run --example extract -- "General Asim Munir visited Kabul on Feb 21."

fn main() {
    let body = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    for m in newsroom::core::extract::extract(&body, None).mentions {
        println!("{:?}\t{}\t{:?}", &body[m.start..m.end], m.kind, m.evidence);
    }
}
