//! A member's pay statement from their group's pool, as a PDF to print or hand
//! over: the work done in a period, day by day, its hours, rate and pay, and their
//! earnings this week, month and tax year beside their own weekly limit.
//!
//! Built from what the hub answers (`kith.v1.PayStatement`) by the CLI
//! (`kith pool member statement ID --pdf FILE`); the hub's desk shows the same as a
//! printable page. Typeset like the directory: tagged PDF/UA-1, fonts embedded.

use std::sync::OnceLock;

use serde::Serialize;
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};

use kith_proto::time::CivilDate;
use kith_proto::v1;
use kith_words::{date_text, day_text, pounds, work_hours, work_hours_text};

use crate::Error;

const TEMPLATE: &str = include_str!("statement.typ");

/// A pay statement in words, as it is printed.
#[derive(Clone, Debug, Serialize)]
pub struct Statement {
    pub title: String,
    pub group: String,
    pub name: String,
    /// `1 December 2026 to 31 December 2026`.
    pub period: String,
    /// `Printed 6 December 2026`.
    pub printed: String,
    pub lines: Vec<Line>,
    pub total_hours: String,
    pub total_pay: String,
    /// This week, this month, this tax year.
    pub earnings: Vec<Earned>,
    /// Their own limit and the room left that week, when they keep one.
    pub limit: Option<String>,
    pub note: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub day: String,
    pub what: String,
    pub business: String,
    pub hours: String,
    pub rate: String,
    pub pay: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Earned {
    pub label: String,
    pub amount: String,
}

fn date(s: &str) -> String {
    CivilDate::parse("date", s).map(date_text).unwrap_or_else(|_| s.to_owned())
}

impl Statement {
    /// The statement the hub answered, in words, printed on `printed`.
    pub fn from_v1(s: &v1::PayStatement, printed: CivilDate) -> Statement {
        let e = s.earnings.clone().unwrap_or_default();
        let week = format!("The week from {}", date(&e.week_from));
        let mut earnings = vec![Earned { label: format!("{week}: earned"), amount: pounds(e.week_pence) }];
        if e.week_booked_pence > 0 {
            earnings
                .push(Earned { label: format!("{week}: booked, not yet worked"), amount: pounds(e.week_booked_pence) });
        }
        earnings.push(Earned { label: "That month".into(), amount: pounds(e.month_pence) });
        earnings.push(Earned {
            label: format!("The tax year from {}", date(&e.tax_year_from)),
            amount: pounds(e.tax_year_pence),
        });
        let limit = e.has_limit.then(|| {
            let limit = u64::from(e.weekly_limit_pence);
            let used = e.week_pence + e.week_booked_pence;
            let left = if used <= limit {
                format!("{} left that week", pounds(limit - used))
            } else {
                format!("{} over it that week", pounds(used - limit))
            };
            format!("The weekly limit you gave the group: {}. {left}.", pounds(limit))
        });
        Statement {
            title: "Pay statement".into(),
            group: s.group.clone(),
            name: s.name.clone(),
            period: format!("{} to {}", date(&s.from), date(&s.to)),
            printed: format!("Printed {}", date_text(printed)),
            lines: s
                .lines
                .iter()
                .map(|l| Line {
                    day: CivilDate::parse("date", &l.date).map(day_text).unwrap_or_else(|_| l.date.clone()),
                    what: l.what.clone(),
                    business: l.business.clone(),
                    hours: work_hours(l.minutes),
                    rate: format!("{} an hour", pounds(u64::from(l.rate_pence))),
                    pay: pounds(l.pay_pence),
                })
                .collect(),
            total_hours: work_hours_text(s.minutes),
            total_pay: pounds(s.pay_pence),
            earnings,
            limit,
            note: "Earnings are counted by the day the work was done: weeks run Monday to Sunday, tax years from \
                   6 April. This statement is not advice about benefits: for that, ask a benefits adviser."
                .into(),
        }
    }
}

fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| crate::engine_with(TEMPLATE))
}

/// The statement as a tagged PDF (PDF/UA-1).
pub fn pdf(statement: &Statement) -> Result<Vec<u8>, Error> {
    let data = serde_json::to_string(statement).expect("a statement always serialises");
    crate::typeset(engine(), data, false, "kith-pay-statement")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_says_the_work_the_pay_and_the_room_left_under_the_limit() {
        let s = v1::PayStatement {
            group: "Green Hands Garden Co-op".into(),
            member: "01J".into(),
            name: "Ann Example".into(),
            from: "2026-12-07".into(),
            to: "2026-12-13".into(),
            lines: vec![v1::StatementLine {
                date: "2026-12-08".into(),
                job: "01K".into(),
                what: "Clear the beds".into(),
                business: "Green Hands gardening".into(),
                minutes: 210,
                rate_pence: 1_500,
                pay_pence: 5_250,
            }],
            minutes: 210,
            pay_pence: 5_250,
            earnings: Some(v1::Earnings {
                week_from: "2026-12-07".into(),
                week_pence: 5_250,
                week_booked_pence: 0,
                month_pence: 5_250,
                tax_year_pence: 80_000,
                has_limit: true,
                weekly_limit_pence: 19_550,
                tax_year_from: "2026-04-06".into(),
            }),
        };
        let st = Statement::from_v1(&s, "2026-12-14".parse().unwrap());
        assert_eq!(st.lines[0].day, "Tuesday 8 December 2026");
        assert_eq!(st.total_hours, "3.5 hours");
        assert_eq!(st.limit.as_deref(), Some("The weekly limit you gave the group: £195.50. £143 left that week."));
        let pdf = pdf(&st).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"/StructTreeRoot"), "tagged");
    }
}
