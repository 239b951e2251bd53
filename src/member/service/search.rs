//! The member search: how a term is matched (pinyin and initials by index range, 汉字 by
//! substring of the name in either script, member numbers exactly, employers by substring) and
//! ranked, and the orderings of the member list.

use sea_orm::{
    ColumnTrait, Condition,
    sea_query::{Expr, LikeExpr, Query, SelectStatement, UnionType},
};

use super::MemberSort;
use crate::pagination::{Ordering, SortKey};
use entity::{member, seat};

pub(super) fn ordering(sorts: &[(MemberSort, bool)]) -> Ordering<member::Entity> {
    let mut keys = Vec::new();
    let mut name = Vec::new();
    let mut has_id = false;
    for &(sort, descending) in sorts {
        match sort {
            MemberSort::Name => {
                keys.push(SortKey { column: member::Column::NamePinyin, descending });
                keys.push(SortKey { column: member::Column::Name, descending });
                name.push(if descending { "NAME:DESC" } else { "NAME:ASC" });
            }
            MemberSort::Registered => {
                keys.push(SortKey { column: member::Column::Id, descending });
                name.push(if descending { "ID:DESC" } else { "ID:ASC" });
                has_id = true;
            }
        }
    }
    if !has_id {
        keys.push(SortKey { column: member::Column::Id, descending: false });
        name.push("ID:ASC");
    }
    Ordering::new(name.join(","), keys)
}

/// A search term, and how it is matched.
///
/// The stored keys (`name_pinyin`, `name_initials`) are lower case, so a Latin term is
/// lower-cased and matched against them by prefix as a range (`key >= 'lxq' AND key < 'lxr'`),
/// which a plain b-tree index serves on SQLite and PostgreSQL alike (the keys are collated "C"
/// there). A term with 汉字 matches name substrings instead, as typed or folded to simplified
/// characters against the folded name (`member.name_folded`), so 郑利 finds 鄭利 and 鄭利
/// finds 郑利. Member numbers match exactly, employers by substring. Substring matches are
/// scans.
pub(super) struct Search {
    /// The term as typed, trimmed.
    pub(super) text: String,
    /// The term folded to simplified characters, the form of `member.name_folded`.
    folded: String,
    /// Lower case without spaces: the form of the stored keys.
    key: String,
    /// Whether the term can be pinyin or initials (ASCII only); otherwise it is 汉字.
    latin: bool,
}

impl Search {
    pub(super) fn new(term: &str) -> Option<Self> {
        let text = term.trim();
        if text.is_empty() {
            return None;
        }
        let key: String = text.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
        let latin = key.is_ascii();
        Some(Self { text: text.to_owned(), folded: crate::member::names::fold(text), key, latin })
    }

    /// `column` starts with the key: a range on the column, so an index can serve it.
    fn key_prefix(&self, column: member::Column) -> Condition {
        let low = column.gte(self.key.as_str());
        match successor(&self.key) {
            Some(high) => Condition::all().add(low).add(column.lt(high)),
            None => Condition::all().add(low),
        }
    }

    /// Members with a seat (in any term) that has the member number.
    fn numbered(&self) -> SelectStatement {
        Query::select()
            .column(seat::Column::MemberId)
            .from(seat::Entity)
            .and_where(seat::Column::MemberNumber.eq(self.text.as_str()))
            .to_owned()
    }

    /// Members with a seat (in any term) whose employer contains the term: a scan.
    fn employed(&self) -> SelectStatement {
        Query::select()
            .column(seat::Column::MemberId)
            .from(seat::Entity)
            .and_where(seat::Column::Employer.like(like(&format!("%{}%", escape(&self.text)))))
            .to_owned()
    }

    /// Members whose key `column` starts with the search key: an index range.
    fn keyed(&self, column: member::Column) -> SelectStatement {
        Query::select().column(member::Column::Id).from(member::Entity).cond_where(self.key_prefix(column)).to_owned()
    }

    /// Which members match. A Latin term is one list of ids (a UNION of index look-ups and the
    /// employer scan), so the database looks the keys up in their indexes instead of testing
    /// every member of the term; a term with 汉字 tests names and employers by substring.
    pub(super) fn matches(&self) -> Condition {
        if self.latin {
            let ids = self
                .keyed(member::Column::NamePinyin)
                .union(UnionType::All, self.keyed(member::Column::NameInitials))
                .union(UnionType::All, self.numbered())
                .union(UnionType::All, self.employed())
                .to_owned();
            Condition::all().add(member::Column::Id.in_subquery(ids))
        } else {
            Condition::any()
                .add(member::Column::Name.like(like(&format!("%{}%", escape(&self.text)))))
                .add(member::Column::NameFolded.like(like(&format!("%{}%", escape(&self.folded)))))
                .add(member::Column::Id.in_subquery(self.numbered().union(UnionType::All, self.employed()).to_owned()))
        }
    }

    /// 0 for an exact match (name, member number, full pinyin or initials), 1 for a prefix of
    /// the name, its pinyin or its initials, 2 for anything else that matches.
    pub(super) fn rank(&self) -> Expr {
        let mut exact = Condition::any()
            .add(member::Column::Name.eq(self.text.as_str()))
            .add(member::Column::NameFolded.eq(self.folded.as_str()))
            .add(member::Column::Id.in_subquery(self.numbered()));
        let mut prefix = Condition::any()
            .add(member::Column::Name.like(like(&format!("{}%", escape(&self.text)))))
            .add(member::Column::NameFolded.like(like(&format!("{}%", escape(&self.folded)))));
        if self.latin {
            exact = exact
                .add(member::Column::NamePinyin.eq(self.key.as_str()))
                .add(member::Column::NameInitials.eq(self.key.as_str()));
            prefix = prefix
                .add(self.key_prefix(member::Column::NamePinyin))
                .add(self.key_prefix(member::Column::NameInitials));
        }
        // Constants, not parameters: PostgreSQL then knows the CASE is an INTEGER.
        Expr::case(exact, Expr::cust("0")).case(prefix, Expr::cust("1")).finally(Expr::cust("2")).into()
    }
}

/// The smallest string greater than every string starting with `prefix` (in code-point order,
/// which is byte order for UTF-8: SQLite's BINARY and PostgreSQL's "C"); none when there is
/// no such string (the prefix is all U+10FFFF).
fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last {
            '\u{D7FF}' => Some('\u{E000}'),
            c => char::from_u32(u32::from(c) + 1),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// `text` with LIKE's wildcards and the escape character escaped.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A LIKE pattern whose escape character is `\` on every backend.
fn like(pattern: &str) -> LikeExpr {
    LikeExpr::new(pattern).escape('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_successor_of_a_prefix_bounds_every_string_that_starts_with_it() {
        assert_eq!(successor("lxq").as_deref(), Some("lxr"));
        assert_eq!(successor("li\u{D7FF}").as_deref(), Some("li\u{E000}"));
        assert_eq!(successor("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(successor("\u{10FFFF}"), None);
    }

    #[test]
    fn a_search_term_is_lower_cased_without_spaces_and_latin_only_when_ascii() {
        let latin = Search::new("  Li Xiao ").map(|s| (s.text, s.key, s.latin));
        let hanzi = Search::new("李 晓").map(|s| (s.key, s.latin));
        assert_eq!(latin, Some(("Li Xiao".to_owned(), "lixiao".to_owned(), true)));
        assert_eq!(hanzi, Some(("李晓".to_owned(), false)));
        assert_eq!(Search::new(" 鄭利 ").map(|s| s.folded).as_deref(), Some("郑利"));
        assert!(Search::new("   ").is_none());
    }

    #[test]
    fn like_wildcards_in_a_search_are_escaped() {
        assert_eq!(escape(r"100%_a\b"), r"100\%\_a\\b");
    }
}
