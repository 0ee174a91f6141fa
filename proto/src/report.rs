//! How the daemons and the CLI say what went wrong: on one line, each cause once.
//!
//! An error's chain often repeats itself (a wrapper whose message already includes
//! its source's, which is then printed again as the cause); library messages may
//! span lines. [`one_line`] keeps each message of the chain that adds something,
//! with its whitespace flattened.

/// The chain of messages (outermost first) as one line.
pub fn one_line<I, S>(chain: I) -> String
where
    I: IntoIterator<Item = S>,
    S: std::fmt::Display,
{
    let mut out = String::new();
    for message in chain {
        let flat = message.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.is_empty() || out.contains(&flat) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&flat);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_cause_once_on_one_line() {
        let chain = ["cannot open the store: store: disk\nfull", "store: disk full", "disk full", "errno 28"];
        assert_eq!(super::one_line(chain), "cannot open the store: store: disk full: errno 28");
    }
}
