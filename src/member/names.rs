//! Search keys of Chinese names: toneless pinyin, pinyin initials and the name folded to
//! simplified characters, stored at write time so that searching and sorting by name use an
//! index, and so that a name written in either script (郑利, 鄭利) is found by both.

use pinyin::ToPinyin;

/// Surnames whose reading differs from the character's everyday reading.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('單', "shan"),
    ('区', "ou"),
    ('仇', "qiu"),
    ('解', "xie"),
    ('朴', "piao"),
    ('查', "zha"),
    ('盖', "ge"),
    ('乐', "yue"),
    ('缪', "miao"),
    ('覃', "qin"),
    ('翟', "zhai"),
    ('种', "chong"),
    ('尉', "yu"),
];

/// `text` with traditional characters folded to simplified ones (鄭利 → 郑利), by OpenCC's
/// character table as the `fast2s` crate ships it; everything else is kept as it is. Stored
/// names and search terms are folded alike, so either script finds the other.
pub fn fold(text: &str) -> String {
    fast2s::convert(text)
}

/// The pinyin syllables of `name`, lower case, one per character; characters that are not
/// Chinese are kept as they are (lower-cased), spaces and dots dropped. The name is folded to
/// simplified characters first, so that both scripts give the same key (區 reads "ou" as 区
/// does, as a surname).
fn syllables(name: &str) -> Vec<String> {
    let name = fold(name);
    let mut out = Vec::new();
    for (i, (ch, py)) in name.chars().zip(name.as_str().to_pinyin()).enumerate() {
        let surname = (i == 0).then(|| SURNAME_READINGS.iter().find(|(c, _)| *c == ch)).flatten();
        match (surname, py) {
            (Some((_, reading)), _) => out.push((*reading).to_owned()),
            (None, Some(py)) => out.push(py.plain().to_owned()),
            (None, None) if ch.is_alphanumeric() => out.push(ch.to_lowercase().collect()),
            (None, None) => {}
        }
    }
    out
}

/// The full toneless pinyin, e.g. "lixiaoqiu" for 李晓秋.
pub fn pinyin_key(name: &str) -> String {
    syllables(name).concat()
}

/// The pinyin initials, e.g. "lxq" for 李晓秋.
pub fn initials_key(name: &str) -> String {
    syllables(name).iter().filter_map(|s| s.chars().next()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_a_common_name() {
        assert_eq!(pinyin_key("李晓秋"), "lixiaoqiu");
        assert_eq!(initials_key("李晓秋"), "lxq");
    }

    #[test]
    fn surname_readings_and_traditional_characters() {
        assert_eq!(pinyin_key("曾国平"), "zengguoping");
        assert_eq!(initials_key("單"), "s");
        assert_eq!(pinyin_key("陳建華"), "chenjianhua");
    }

    #[test]
    fn non_chinese_letters_are_kept_and_separators_dropped() {
        assert_eq!(pinyin_key("阿依古丽·买买提"), "ayigulimaimaiti");
        assert_eq!(pinyin_key("Anna 王"), "annawang");
        assert_eq!(initials_key("Anna 王"), "annaw");
    }

    #[test]
    fn both_scripts_fold_to_the_same_name_and_keys() {
        assert_eq!(fold("鄭利"), "郑利");
        assert_eq!(fold("郑利"), "郑利");
        assert_eq!(fold("Anna 王"), "Anna 王");
        assert_eq!(pinyin_key("鄭利"), pinyin_key("郑利"));
        assert_eq!(initials_key("區志強"), initials_key("区志强"));
        assert_eq!(pinyin_key("區志強"), "ouzhiqiang");
    }
}
