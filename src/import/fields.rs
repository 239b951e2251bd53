//! The roster's columns and how a cell becomes a value: Chinese headers (with the variants
//! offices write), dates in the forms Excel users type, parties by their Chinese names, 男/女,
//! 是/否 and 届次. Each parser returns the reason a cell is wrong, for the row report.

use chrono::{Datelike, NaiveDate};

use super::file::Cell;
use entity::enums::{Gender, Party};

/// A column of the roster. The canonical header is what the export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// 姓名 (required).
    Name,
    /// 性别.
    Gender,
    /// 民族.
    Ethnicity,
    /// 出生年月.
    Birth,
    /// 党派.
    Party,
    /// 界别.
    Sector,
    /// 专委会.
    Committee,
    /// 工作单位及职务.
    Employer,
    /// 委员证号.
    Number,
    /// 手机号.
    Phone,
    /// 所属镇街.
    Town,
    /// 工作室.
    Studio,
    /// 届次.
    Term,
    /// 是否常委.
    Standing,
    /// 备注.
    Notes,
}

impl Column {
    /// Every column, in the order the export writes them.
    pub const ALL: [Self; 15] = [
        Self::Name,
        Self::Gender,
        Self::Ethnicity,
        Self::Birth,
        Self::Party,
        Self::Sector,
        Self::Committee,
        Self::Employer,
        Self::Number,
        Self::Phone,
        Self::Town,
        Self::Studio,
        Self::Term,
        Self::Standing,
        Self::Notes,
    ];

    /// The canonical Chinese header.
    pub fn header(self) -> &'static str {
        self.names()[0]
    }

    /// The canonical header first, then the variants accepted on import.
    fn names(self) -> &'static [&'static str] {
        match self {
            Self::Name => &["姓名", "委员姓名", "名字"],
            Self::Gender => &["性别"],
            Self::Ethnicity => &["民族"],
            Self::Birth => &["出生年月", "出生日期", "出生年月日", "生日", "出生时间"],
            Self::Party => &["党派", "政治面貌", "党派(政治面貌)", "所属党派"],
            Self::Sector => &["界别", "所属界别"],
            Self::Committee => &["专委会", "专门委员会", "所属专委会", "所在专委会"],
            Self::Employer => {
                &["工作单位及职务", "工作单位", "单位及职务", "工作单位和职务", "单位职务", "工作单位及职务(职称)"]
            }
            Self::Number => &["委员证号", "委员编号", "委员证编号", "证号"],
            Self::Phone => &["手机号", "手机", "手机号码", "联系电话", "电话", "联系方式"],
            Self::Town => &["所属镇街", "镇街", "所在镇街", "所属镇(街道)", "镇(街道)"],
            Self::Studio => &["工作室", "委员工作室", "所属工作室", "所在工作室"],
            Self::Term => &["届次", "届别"],
            Self::Standing => &["是否常委", "常委"],
            Self::Notes => &["备注"],
        }
    }

    /// The column a header names, if any (spaces, `*` marks and full-width brackets aside).
    pub fn of_header(header: &str) -> Option<Self> {
        let key: String = header
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊' | '\u{200B}' | '\u{FEFF}'))
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                other => other,
            })
            .collect();
        let key = key.trim_end_matches("(必填)");
        Self::ALL.into_iter().find(|c| c.names().contains(&key))
    }
}

/// A birth date, and whether the file gave only its year and month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Birth {
    /// The date (the 1st when only year and month were given).
    pub date: NaiveDate,
    /// Only year and month were given.
    pub month_only: bool,
}

impl Birth {
    /// Whether a stored date agrees with this one (to the month when only that was given).
    pub fn agrees_with(&self, stored: NaiveDate) -> bool {
        if self.month_only {
            stored.year() == self.date.year() && stored.month() == self.date.month()
        } else {
            stored == self.date
        }
    }
}

/// The cell as trimmed text; none when blank. Numbers print without a trailing `.0`.
pub fn text(cell: &Cell) -> Result<Option<String>, String> {
    let strip = |s: &str| s.trim_matches(|c: char| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}').to_owned();
    Ok(match cell {
        Cell::Empty => None,
        Cell::Text(s) => Some(strip(s)).filter(|s| !s.is_empty()),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
        Cell::Number(n) => Some(n.to_string()),
        Cell::Date(d) => Some(d.to_string()),
        Cell::Bool(b) => Some(if *b { "是" } else { "否" }.to_owned()),
        Cell::Invalid(reason) => return Err(reason.clone()),
    })
}

/// A person's name: names written with spaces to line them up ("王　芳") lose the spaces
/// when every other character is Chinese; anything else is kept as written.
pub fn name(text: &str) -> String {
    let chinese = |c: char| matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}' | '·' | '•');
    if text.chars().all(|c| c.is_whitespace() || chinese(c)) {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        text.to_owned()
    }
}

const DATE_HINT: &str = "write it as 1972-03, 1972.3, 1972年3月 or 1972/3/8";

/// A birth date: an Excel date, an Excel serial number, 1972-03, 1972.3, 1972年3月, 1972/3/8,
/// 1972-03-08, 1972年3月8日, 197203 or 19720308.
pub fn birth(cell: &Cell, today: NaiveDate) -> Result<Option<Birth>, String> {
    let found = match cell {
        Cell::Date(d) => Birth { date: *d, month_only: false },
        Cell::Number(n) => number_date(*n)?,
        Cell::Bool(_) => return Err(format!("is not a date; {DATE_HINT}")),
        other => match text(other)? {
            None => return Ok(None),
            Some(t) => text_date(&t)?,
        },
    };
    let year = found.date.year();
    if year < 1900 || found.date > today {
        return Err(format!("{} is not a plausible birth date", found.date));
    }
    Ok(Some(found))
}

fn ymd(y: i64, m: i64, d: Option<i64>) -> Result<Birth, String> {
    let date = i32::try_from(y)
        .ok()
        .zip(u32::try_from(m).ok())
        .and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, d.and_then(|d| u32::try_from(d).ok()).unwrap_or(1)));
    match date {
        Some(date) => Ok(Birth { date, month_only: d.is_none() }),
        None => Err(format!("{y}-{m}{} is not a date; {DATE_HINT}", d.map(|d| format!("-{d}")).unwrap_or_default())),
    }
}

fn serial_date(serial: i64) -> Option<Birth> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(chrono::Duration::days(serial)).map(|date| Birth { date, month_only: false })
}

/// A number typed into a date column: an Excel serial (a date cell without a date format),
/// YYYYMM, YYYYMMDD, or 1972.3 (which Excel stores as a number).
fn number_date(n: f64) -> Result<Birth, String> {
    if n.fract() == 0.0 {
        let i = n as i64;
        return match i {
            1..=99_999 => serial_date(i).ok_or_else(|| format!("{i} is not a date; {DATE_HINT}")),
            190_001..=299_912 => ymd(i / 100, i % 100, None),
            19_000_101..=29_991_231 => ymd(i / 10_000, i / 100 % 100, Some(i % 100)),
            _ => Err(format!("{i} is not a date; {DATE_HINT}")),
        };
    }
    let shown = format!("{n}");
    match shown.split_once('.') {
        Some((y, m)) if y.len() == 4 && m.len() <= 2 => {
            if m == "1" {
                return Err(format!(
                    "{shown} is ambiguous: Excel stores 1972.10 as 1972.1; write 1972-01 or 1972-10 as text"
                ));
            }
            ymd(y.parse().unwrap_or(0), m.parse().unwrap_or(0), None)
        }
        _ => Err(format!("{shown} is not a date; {DATE_HINT}")),
    }
}

fn text_date(t: &str) -> Result<Birth, String> {
    let allowed = |c: char| c.is_ascii_digit() || c.is_whitespace() || "-./年月日号T:－／．".contains(c);
    if !t.chars().all(allowed) {
        return Err(format!("{t} is not a date; {DATE_HINT}"));
    }
    // An ISO date-time keeps its date part only.
    let t = t.split('T').next().unwrap_or(t);
    let groups: Vec<&str> = t.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let num = |g: &str| g.parse::<i64>().unwrap_or(-1);
    match groups.as_slice() {
        [one] if one.len() == 6 => ymd(num(&one[..4]), num(&one[4..]), None),
        [one] if one.len() == 8 => ymd(num(&one[..4]), num(&one[4..6]), Some(num(&one[6..]))),
        [one] if one.len() <= 5 => serial_date(num(one)).ok_or_else(|| format!("{t} is not a date; {DATE_HINT}")),
        [y, m] if y.len() == 4 => ymd(num(y), num(m), None),
        [y, m, d, ..] if y.len() == 4 => ymd(num(y), num(m), Some(num(d))),
        _ => Err(format!("{t} is not a date; {DATE_HINT}")),
    }
}

/// A party by its Chinese name, short or full, or as a member calls themself (民盟盟员).
pub fn party(t: &str) -> Result<Party, String> {
    let of = |s: &str| -> Option<Party> {
        Some(match s {
            "中共" | "中国共产党" | "中共党员" | "共产党员" | "中国共产党党员" | "中共预备党员" => {
                Party::Cpc
            }
            "民革" | "中国国民党革命委员会" => Party::Rcck,
            "民盟" | "中国民主同盟" => Party::Cdl,
            "民建" | "中国民主建国会" => Party::Cndca,
            "民进" | "中国民主促进会" => Party::Capd,
            "农工党" | "农工" | "中国农工民主党" => Party::Cpwdp,
            "致公党" | "致公" | "中国致公党" => Party::Czgp,
            "九三学社" | "九三" => Party::Jiusan,
            "台盟" | "台湾民主自治同盟" => Party::Tdsl,
            "无党派人士" | "无党派" | "无党派民主人士" => Party::NonParty,
            "群众" => Party::Masses,
            _ => return None,
        })
    };
    let key: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    of(&key)
        .or_else(|| ["党员", "盟员", "会员", "社员"].iter().find_map(|s| key.strip_suffix(s).and_then(of)))
        .ok_or_else(|| {
            let known: Vec<&str> = Party::ALL.iter().map(|p| p.label()).collect();
            format!("{t} is not a party; use one of {}", known.join("、"))
        })
}

/// 男 or 女.
pub fn gender(t: &str) -> Result<Gender, String> {
    match t {
        "男" | "男性" | "M" | "m" => Ok(Gender::Male),
        "女" | "女性" | "F" | "f" => Ok(Gender::Female),
        _ => Err(format!("{t} is not a gender; write 男 or 女")),
    }
}

/// 是 or 否 (and the marks offices use for them).
pub fn yes_no(cell: &Cell) -> Result<Option<bool>, String> {
    if let Cell::Bool(b) = cell {
        return Ok(Some(*b));
    }
    let Some(t) = text(cell)? else { return Ok(None) };
    match t.to_lowercase().as_str() {
        "是" | "常委" | "√" | "✓" | "y" | "yes" | "true" | "1" => Ok(Some(true)),
        "否" | "×" | "✗" | "n" | "no" | "false" | "0" => Ok(Some(false)),
        _ => Err(format!("{t} is not 是 or 否")),
    }
}

/// The ordinal a 届次 cell names: 10, 第10届, 第十届, 十.
pub fn term_number(t: &str) -> Option<i32> {
    let core = t.trim().trim_start_matches('第').trim_end_matches('届');
    if let Ok(n) = core.parse::<i32>() {
        return Some(n);
    }
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).map(|p| p as i32);
    let chars: Vec<char> = core.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|&d| d > 0),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', u] => digit(*t).zip(digit(*u)).map(|(t, u)| t * 10 + u),
        _ => None,
    }
}

/// A phone number: digits with the usual separators, at least seven digits.
pub fn phone(t: &str) -> Result<String, String> {
    let ok = t.chars().all(|c| c.is_ascii_digit() || " -+()（）—".contains(c));
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if ok && (7..=20).contains(&digits) { Ok(t.to_owned()) } else { Err(format!("{t} is not a phone number")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn b(t: &str) -> Result<Option<Birth>, String> {
        birth(&Cell::Text(t.to_owned()), day(2026, 1, 1))
    }

    #[test]
    fn dates_in_the_forms_offices_type() {
        let month = |y, m| Ok(Some(Birth { date: day(y, m, 1), month_only: true }));
        let full = |y, m, d| Ok(Some(Birth { date: day(y, m, d), month_only: false }));
        assert_eq!(b("1972-03"), month(1972, 3));
        assert_eq!(b("1972.3"), month(1972, 3));
        assert_eq!(b("1972年3月"), month(1972, 3));
        assert_eq!(b("1972/3/8"), full(1972, 3, 8));
        assert_eq!(b("1972年3月8日"), full(1972, 3, 8));
        assert_eq!(b("19720308"), full(1972, 3, 8));
        assert_eq!(b(""), Ok(None));
        assert_eq!(birth(&Cell::Number(26366.0), day(2026, 1, 1)), full(1972, 3, 8));
        assert_eq!(birth(&Cell::Number(1972.3), day(2026, 1, 1)), month(1972, 3));
        assert_eq!(birth(&Cell::Number(1972.11), day(2026, 1, 1)), month(1972, 11));
        assert!(birth(&Cell::Number(1972.1), day(2026, 1, 1)).is_err());
        assert!(b("1972-13").is_err());
        assert!(b("三月").is_err());
        assert!(b("2030-01").is_err());
    }

    #[test]
    fn parties_genders_terms_and_headers() {
        assert_eq!(party("中国共产党"), Ok(Party::Cpc));
        assert_eq!(party("民盟盟员"), Ok(Party::Cdl));
        assert_eq!(party("无党派人士"), Ok(Party::NonParty));
        assert!(party("共和党").is_err());
        assert_eq!(gender("女"), Ok(Gender::Female));
        assert_eq!(term_number("第十届"), Some(10));
        assert_eq!(term_number("第十一届"), Some(11));
        assert_eq!(term_number("二十"), Some(20));
        assert_eq!(term_number("10"), Some(10));
        assert_eq!(Column::of_header(" 出生日期 "), Some(Column::Birth));
        assert_eq!(Column::of_header("*姓名"), Some(Column::Name));
        assert_eq!(Column::of_header("党派（政治面貌）"), Some(Column::Party));
        assert_eq!(Column::of_header("爱好"), None);
        assert_eq!(name("王　芳"), "王芳");
        assert_eq!(name("Anna Wang"), "Anna Wang");
    }
}
