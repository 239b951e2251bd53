//! Scoring: a rule set applied to the records each member matched — splits of joint work,
//! caps, floors, subtotals, minimum requirements, and then the total, grade, pass and flags.
//! Pure: no database and no waiting, so every figure can be worked out by hand in a test.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::super::rules::{Definition, Rule, cents};
use entity::enums::{AppliesTo, AssessmentScale, Grade, RulePer, RuleSource, SignerRole, SplitMode, TrainingMeasure};

/// A member seated in the year, with the cohort keys the run ranks within.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seated {
    /// The member.
    pub member_id: i64,
    /// The member's name in pinyin.
    pub name_pinyin: String,
    /// The seat held that year.
    pub seat_id: i64,
    /// The seat's term.
    pub term_id: i64,
    /// The term's first day.
    pub term_start: NaiveDate,
    /// The seat's sector.
    pub sector_id: Option<i64>,
    /// A standing-committee member.
    pub standing: bool,
    /// First seated in this term.
    pub new_member: bool,
    /// Special committee at the end of the year.
    pub committee_id: Option<i64>,
    /// Studio at the end of the year.
    pub studio_id: Option<i64>,
    /// Town or street of that studio.
    pub town_id: Option<i64>,
}

/// One record a rule matched, for one member.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    /// The member it counts for.
    pub(crate) member_id: i64,
    /// The participation, training session, proposal, report or duty item.
    pub(crate) source_id: i64,
    /// The record's date.
    pub(crate) date: NaiveDate,
    /// What the score line will say.
    pub(crate) description: String,
    /// For joint work: the member's role and how many signers the work has.
    pub(crate) signer: Option<(SignerRole, i64)>,
    /// TRAINING HOURS: tenths of an hour.
    pub(crate) hours_tenths: i64,
    /// When only the first records of each member were fetched: how many matched — all of them
    /// when rows were read, at most the limit when each member's participations were walked
    /// (enough for every minimum requirement, see `fetch::minimum_need`).
    pub(crate) matched: Option<i64>,
}

impl Record {
    /// A record of neither joint work nor hours.
    pub(crate) fn new(member_id: i64, source_id: i64, date: NaiveDate, description: String) -> Self {
        Self { member_id, source_id, date, description, signer: None, hours_tenths: 0, matched: None }
    }
}

/// `value × num ÷ den`, rounded half away from zero.
fn share(value: i64, num: i64, den: i64) -> i64 {
    if den == 0 {
        return 0;
    }
    let (v, n, d) = (i128::from(value), i128::from(num), i128::from(den));
    let product = v * n;
    let q = product / d;
    let r = product % d;
    let rounded = if 2 * r.abs() >= d.abs() { q + product.signum() * d.signum() } else { q };
    i64::try_from(rounded).unwrap_or(0)
}

/// A member's share of a rule's points for one record, and a note when it is not all of it.
fn split_points(rule: &Rule, points: i64, signer: Option<(SignerRole, i64)>) -> Option<(i64, Option<String>)> {
    let Some((role, n)) = signer else { return Some((points, None)) };
    let n = n.max(1);
    match (rule.split, role) {
        (SplitMode::Full, _) => Some((points, None)),
        (SplitMode::FirstOnly, SignerRole::First) => Some((points, None)),
        (SplitMode::FirstOnly, SignerRole::Co) => None,
        (SplitMode::HalfToFirstRestShared, _) if n == 1 => Some((points, None)),
        (SplitMode::HalfToFirstRestShared, SignerRole::First) => {
            Some((share(points, 1, 2), Some(format!("联名{n}人，第一提案人得一半"))))
        }
        (SplitMode::HalfToFirstRestShared, SignerRole::Co) => {
            Some((share(points, 1, 2 * (n - 1)), Some(format!("联名{n}人，其余{}人平分一半", n - 1))))
        }
        (SplitMode::EqualShare, _) if n == 1 => Some((points, None)),
        (SplitMode::EqualShare, _) => Some((share(points, 1, n), Some(format!("{n}人平分")))),
    }
}

/// One line of a member's result before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Index of the rule in the definition.
    pub rule: usize,
    /// The record.
    pub source: RuleSource,
    /// The record's id.
    pub source_id: i64,
    /// The record's date.
    pub date: NaiveDate,
    /// What was counted.
    pub description: String,
    /// Points (hundredths).
    pub cents: i64,
    /// Why the points differ from the rule's.
    pub note: Option<String>,
}

/// A category subtotal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subtotal {
    /// The category code.
    pub category: String,
    /// Its label.
    pub label: String,
    /// Points (hundredths).
    pub cents: i64,
    /// How many lines count in it.
    pub records: i64,
}

/// One member's computed result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The member and cohorts.
    pub seated: Seated,
    /// Lines in display order.
    pub lines: Vec<Line>,
    /// Subtotals in category order.
    pub subtotals: Vec<Subtotal>,
    /// Base plus every line (hundredths).
    pub computed_cents: i64,
    /// The best grade unmet minimums allow.
    pub grade_cap: Option<Grade>,
    /// Labels of unmet minimums.
    pub unmet_minimums: Vec<String>,
}

fn applies(rule: &Rule, standing: bool) -> bool {
    match rule.applies_to {
        AppliesTo::All => true,
        AppliesTo::Standing => standing,
        AppliesTo::Others => !standing,
    }
}

fn with_note(note: Option<String>, extra: &str) -> Option<String> {
    Some(match note {
        Some(n) => format!("{n}；{extra}"),
        None => extra.to_owned(),
    })
}

/// Caps a running positive sum: each positive line keeps what still fits under `cap`; lines
/// with nothing left are dropped. Negative lines are kept as they are.
fn cap_positive(lines: &mut Vec<Line>, cap: i64, label: &str) {
    let mut used = 0i64;
    lines.retain_mut(|line| {
        if line.cents <= 0 {
            return true;
        }
        let room = (cap - used).max(0);
        if room == 0 {
            return false;
        }
        if line.cents > room {
            line.cents = room;
            line.note = with_note(line.note.take(), &format!("{label}已达上限"));
        }
        used += line.cents;
        true
    });
}

/// Scores every seated member: each rule's records (in (member, date, id) order, by the rule's
/// index) go to the members they belong to when the rule applies to them; members without
/// records get the base. One outcome per member, in the order of `members`.
pub(crate) fn score_all(def: &Definition, members: Vec<Seated>, by_rule: Vec<Vec<Record>>) -> Vec<Outcome> {
    let wanted: HashMap<i64, bool> = members.iter().map(|s| (s.member_id, s.standing)).collect();
    // Per member: per rule, the matched records (before caps), in order.
    let mut matched: HashMap<i64, Vec<Vec<Record>>> = HashMap::new();
    for (index, (rule, records)) in def.rules.iter().zip(by_rule).enumerate() {
        for record in records {
            let Some(&standing) = wanted.get(&record.member_id) else { continue };
            if !applies(rule, standing) {
                continue;
            }
            let slots = matched.entry(record.member_id).or_insert_with(|| vec![Vec::new(); def.rules.len()]);
            slots[index].push(record);
        }
    }
    let base = cents(def.base_points);
    let mut outcomes = Vec::with_capacity(members.len());
    for seated in members {
        let slots = matched.remove(&seated.member_id).unwrap_or_else(|| vec![Vec::new(); def.rules.len()]);
        outcomes.push(score_member(def, seated, &slots, base));
    }
    outcomes
}

/// One member's outcome from their matched records, rule by rule (`slots[i]` for rule `i`).
fn score_member(def: &Definition, seated: Seated, slots: &[Vec<Record>], base: i64) -> Outcome {
    // 1. Each rule on its own: once a year or per record, skipped firsts, splits, rule cap.
    let mut by_category: Vec<Vec<Line>> = vec![Vec::new(); def.categories.len()];
    let mut matched_counts: HashMap<&str, u32> = HashMap::new();
    for (index, (rule, recs)) in def.rules.iter().zip(slots).enumerate() {
        let matched = recs.first().and_then(|r| r.matched).unwrap_or(recs.len() as i64);
        matched_counts.insert(rule.code.as_str(), u32::try_from(matched).unwrap_or(u32::MAX));
        let points = cents(rule.points);
        let take: Box<dyn Iterator<Item = &Record>> = match rule.per {
            RulePer::Year => Box::new(recs.iter().take(1)),
            RulePer::Record => Box::new(recs.iter().skip(rule.skip_first as usize)),
        };
        let mut lines = Vec::new();
        for record in take {
            let base_points = match rule.training {
                Some(TrainingMeasure::Hours) => share(points, record.hours_tenths, 10),
                _ => points,
            };
            let Some((value, note)) = split_points(rule, base_points, record.signer) else { continue };
            let note = match (rule.per, note) {
                (RulePer::Year, n) => with_note(n, "每年计一次"),
                (_, n) => n,
            };
            lines.push(Line {
                rule: index,
                source: rule.source,
                source_id: record.source_id,
                date: record.date,
                description: record.description.clone(),
                cents: value,
                note,
            });
        }
        if let Some(cap) = rule.cap.map(cents) {
            if points >= 0 {
                cap_positive(&mut lines, cap, "本项");
            } else {
                // A cap on a deduction bounds how much it takes away.
                let mut used = 0i64;
                lines.retain_mut(|line| {
                    let room = (cap - used).max(0);
                    if room == 0 {
                        return false;
                    }
                    if -line.cents > room {
                        line.cents = -room;
                        line.note = with_note(line.note.take(), "本项扣分已达上限");
                    }
                    used += -line.cents;
                    true
                });
            }
        }
        if let Some(slot) = def.categories.iter().position(|c| c.code == rule.category) {
            by_category[slot].extend(lines);
        }
    }
    // 2. Categories: date order, then the category cap on positive points.
    for (category, lines) in def.categories.iter().zip(by_category.iter_mut()) {
        lines.sort_by_key(|a| (a.date, a.rule, a.source_id));
        if let Some(cap) = category.cap.map(cents) {
            cap_positive(lines, cap, &format!("{}类", category.label));
        }
    }
    // 3. BASE_PLUS_BONUS: the bonus cap over every positive point, in date order.
    if def.scale == AssessmentScale::BasePlusBonus
        && let Some(max_bonus) = def.max_bonus.map(cents)
    {
        let mut all: Vec<(usize, Line)> =
            by_category.iter_mut().enumerate().flat_map(|(c, lines)| lines.drain(..).map(move |l| (c, l))).collect();
        all.sort_by_key(|(_, a)| (a.date, a.rule, a.source_id));
        let mut lines: Vec<Line> = Vec::with_capacity(all.len());
        let mut cats = Vec::with_capacity(all.len());
        for (c, l) in all {
            cats.push(c);
            lines.push(l);
        }
        let mut used = 0i64;
        for (c, mut line) in cats.into_iter().zip(lines) {
            if line.cents > 0 {
                let room = (max_bonus - used).max(0);
                if room == 0 {
                    continue;
                }
                if line.cents > room {
                    line.cents = room;
                    line.note = with_note(line.note.take(), "加分已达上限");
                }
                used += line.cents;
            }
            by_category[c].push(line);
        }
    }
    // 4. Category floors, subtotals.
    let mut subtotals = Vec::with_capacity(def.categories.len());
    for (category, lines) in def.categories.iter().zip(by_category.iter_mut()) {
        let mut sum: i64 = lines.iter().map(|l| l.cents).sum();
        if category.floor_at_zero && sum < 0 {
            // Deductions stop at 0: the latest deductions give way first.
            for line in lines.iter_mut().rev() {
                if sum >= 0 {
                    break;
                }
                if line.cents < 0 {
                    let give = (-sum).min(-line.cents);
                    line.cents += give;
                    sum += give;
                    line.note = with_note(line.note.take(), "扣分以本类0分为限");
                }
            }
        }
        subtotals.push(Subtotal {
            category: category.code.clone(),
            label: category.label.clone(),
            cents: sum,
            records: i64::try_from(lines.len()).unwrap_or(i64::MAX),
        });
    }
    let mut lines: Vec<Line> = by_category.into_iter().flatten().collect();
    lines.sort_by_key(|a| (a.date, a.rule, a.source_id));
    let computed_cents = base + subtotals.iter().map(|s| s.cents).sum::<i64>();
    // 5. Minimum requirements.
    let mut grade_cap: Option<Grade> = None;
    let mut unmet = Vec::new();
    for minimum in &def.minimums {
        let count: u32 = minimum.rules.iter().map(|code| matched_counts.get(code.as_str()).copied().unwrap_or(0)).sum();
        if count < minimum.count {
            unmet.push(minimum.label.clone());
            grade_cap = Some(match grade_cap {
                Some(g) if g.order() >= minimum.max_grade.order() => g,
                _ => minimum.max_grade,
            });
        }
    }
    Outcome { seated, lines, subtotals, computed_cents, grade_cap, unmet_minimums: unmet }
}

/// The final figures of a result, from what was computed and the adjustments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finish {
    /// The total (hundredths).
    pub total_cents: i64,
    /// The grade.
    pub grade: Grade,
    /// Whether it reaches the pass mark.
    pub passed: bool,
    /// 通报表彰.
    pub commend: bool,
    /// 提醒谈话.
    pub reminder: bool,
    /// 劝辞.
    pub resign: bool,
}

/// Total, grade, pass and flags of a result.
pub fn finish(
    def: &Definition,
    computed_cents: i64,
    adjustment_cents: i64,
    grade_cap: Option<Grade>,
    previous_failed: bool,
    plenary_absences: i32,
) -> Finish {
    let mut total = computed_cents + adjustment_cents;
    if def.floor_at_zero {
        total = total.max(0);
    }
    if let Some(max) = def.max_points.map(cents) {
        total = total.min(max);
    }
    let top = def.grades.first().map_or(Grade::Competent, |b| b.grade);
    let lowest = def.lowest_grade().unwrap_or(Grade::Incompetent);
    let mut grade = def.grades.iter().find(|b| total >= cents(b.min_points)).map_or(lowest, |b| b.grade);
    if let Some(cap) = grade_cap
        && grade.order() < cap.order()
    {
        grade = cap;
    }
    let passed = match def.pass_mark.map(cents) {
        Some(mark) => total >= mark && grade != lowest,
        None => grade != lowest,
    };
    let too_many_absences = def.plenary_absence_limit.is_some_and(|limit| plenary_absences >= limit);
    Finish {
        total_cents: total,
        grade,
        passed,
        commend: grade == top,
        reminder: grade == lowest && def.grades.len() > 1,
        resign: (!passed && previous_failed) || too_many_absences,
    }
}

#[cfg(test)]
mod tests;
