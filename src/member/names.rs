//! Search keys of Chinese names: toneless pinyin and pinyin initials, stored at write time so
//! that searching and sorting by name use an index.

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

/// The pinyin syllables of `name`, lower case, one per character; characters that are not
/// Chinese are kept as they are (lower-cased), spaces and dots dropped.
fn syllables(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (ch, py)) in name.chars().zip(name.to_pinyin()).enumerate() {
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
}
