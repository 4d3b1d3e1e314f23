//! Names across articles: how an entity's name is normalized and which names are taken to
//! name the same referent (docs/STORE.md, "Merging entities across articles").
//!
//! The rules are pure functions of one name, so the store can merge incrementally and still
//! end in the state the whole set of names determines:
//!
//! * a person's **full name** (two or more tokens after titles are dropped) is keyed by its
//!   first and last token, each reduced to a transliteration skeleton, plus a generational
//!   suffix (Jr., III) when present: "Volodymyr Zelenskyy" = "Volodymyr Zelensky";
//!   "Donald Trump" ≠ "Donald Trump Jr.";
//! * a **bare surname** ("Zelenskiy") joins the one full-name person with that skeleton
//!   surname, and only while there is exactly one; otherwise it stays its own entity;
//! * an organization's (or place's) name is keyed by its words without a leading "the"; an
//!   **acronym** ("UN", "U.N.") joins the one entity whose initials it is, while there is
//!   exactly one.

use serde::Serialize;

/// Which of the merging rules a name falls under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// A person's first and last name.
    Full,
    /// One token of a person's name: joins the unique full name with that surname.
    Surname,
    /// An all-capital short form: joins the unique organization with those initials.
    Acronym,
    /// Any other name: keyed by its words.
    Plain,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Full => "full",
            Form::Surname => "surname",
            Form::Acronym => "acronym",
            Form::Plain => "plain",
        }
    }
}

/// A name analysed for merging.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameKey {
    /// The folded, lower-case words of the name (titles dropped): the identity of the name
    /// string itself.
    pub norm: String,
    pub form: Form,
    /// The key of the entity the name names directly (`Full`, `Plain`), or the key of the
    /// entity it falls back to when its target is ambiguous (`Surname`, `Acronym`).
    pub key: String,
    /// The skeleton surname: what a bare surname matches (persons only).
    pub last: Option<String>,
    /// The initials an acronym matches: for a full organization name its initials, for an
    /// acronym its letters.
    pub initials: Option<String>,
}

/// Words dropped from the front of a person's name.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sen",
    "senator",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "president",
    "pres",
    "vice",
    "prime",
    "minister",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "sgt",
    "adm",
    "admiral",
    "secretary",
    "judge",
    "justice",
    "rev",
    "reverend",
    "sir",
    "dame",
    "lord",
    "lady",
    "mayor",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "ambassador",
    "chairman",
    "chairwoman",
    "speaker",
    "sheriff",
    "chief",
    "attorney",
    // Descriptors news puts before names: "Democrat Hillary Clinton", "former Gov. ...".
    "former",
    "democrat",
    "democratic",
    "republican",
    "gop",
    "candidate",
    "nominee",
    "presidential",
    "first",
];

/// Generational suffixes: kept in the key (Donald Trump Jr. is not Donald Trump).
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Words that are not part of an organization's initials.
const MINOR: &[&str] = &[
    "of", "the", "and", "for", "on", "in", "at", "de", "du", "la", "to",
];

/// Kind names as stored: the contract's entity types.
pub fn is_person(kind: &str) -> bool {
    kind == "person"
}

/// Analyse a name of an entity of `kind` (`person`, `organization`, `location`, `other`).
/// `None` when nothing nameable is left (punctuation only).
pub fn analyse(name: &str, kind: &str) -> Option<NameKey> {
    let raw: Vec<String> = name
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '"' | '“' | '”'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if is_person(kind) {
        person(&raw)
    } else {
        organization(&raw)
    }
}

/// Lower-case ASCII-folded letters and digits of a token; dots, apostrophes and other marks
/// dropped ("U.N." -> "un", "O'Rourke" -> "orourke"), hyphens kept as word breaks.
fn clean(token: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in token.chars() {
        if c == '-' || c == '‐' || c == '–' || c == '/' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else if c.is_alphanumeric() {
            fold_into(c, &mut cur);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Append `c` lower-cased, with the Latin diacritics folded away.
pub fn fold_into(c: char, out: &mut String) {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å'
        | 'Ā' | 'Ă' | 'Ą' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' | 'Ç' | 'Ć' | 'Č' | 'Ĉ' | 'Ċ' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' | 'ð' | 'Ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ'
        | 'Ė' | 'Ę' | 'Ě' => "e",
        'ğ' | 'ģ' | 'ĝ' | 'ġ' | 'Ğ' | 'Ģ' | 'Ĝ' | 'Ġ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ĭ' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Ĭ' | 'Į'
        | 'İ' => "i",
        'ñ' | 'ń' | 'ň' | 'ņ' | 'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø'
        | 'Ō' | 'Ŏ' | 'Ő' => "o",
        'œ' | 'Œ' => "oe",
        'ř' | 'ŕ' | 'Ř' | 'Ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' | 'Ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' | 'Ť' | 'Ţ' | 'Ț' => "t",
        'þ' | 'Þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ŭ'
        | 'Ů' | 'Ű' | 'Ų' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ž' | 'ź' | 'ż' | 'Ž' | 'Ź' | 'Ż' => "z",
        'ł' | 'Ł' => "l",
        _ => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push_str(folded);
}

/// A token reduced so that common romanizations of one name meet: `yy`, `iy`, `ii`, `yi`
/// and `ij` become `y`, a final `i` becomes `y`, and doubled letters are collapsed.
/// "zelenskyy", "zelenskiy", "zelensky" and "zelenski" all give "zelensky"; "zelenska"
/// stays apart.
pub fn skeleton(token: &str) -> String {
    let mut s = token.to_string();
    for pair in ["yy", "iy", "ii", "yi", "ij"] {
        while s.contains(pair) {
            s = s.replace(pair, "y");
        }
    }
    if s.len() > 2 && s.ends_with('i') {
        s.pop();
        s.push('y');
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if out.ends_with(c) && c.is_alphabetic() {
            continue;
        }
        out.push(c);
    }
    out
}

fn person(raw: &[String]) -> Option<NameKey> {
    let mut words: Vec<String> = raw.iter().flat_map(|t| clean(t)).collect();
    // Titles only in front, and never the last word ("Speaker" alone stays a name).
    while words.len() > 1 && TITLES.contains(&words[0].as_str()) {
        words.remove(0);
    }
    let mut suffix = None;
    if words.len() > 2 && SUFFIXES.contains(&words[words.len() - 1].as_str()) {
        suffix = words.pop();
    }
    // A possessive "'s" cleaned to a trailing "s" word is not part of the name.
    if words.len() > 1 && words.last().is_some_and(|w| w == "s") {
        words.pop();
    }
    if words.is_empty() {
        return None;
    }
    let norm = words.join(" ") + &suffix.as_ref().map(|s| format!(" {s}")).unwrap_or_default();
    let last = skeleton(&words[words.len() - 1]);
    if words.len() == 1 {
        return Some(NameKey {
            norm,
            form: Form::Surname,
            key: format!("~{last}"),
            last: Some(last),
            initials: None,
        });
    }
    let first = skeleton(&words[0]);
    let mut key = format!("{first} {last}");
    if let Some(s) = &suffix {
        key.push(' ');
        key.push_str(s);
    }
    Some(NameKey {
        norm,
        form: Form::Full,
        key,
        last: Some(last),
        initials: None,
    })
}

fn organization(raw: &[String]) -> Option<NameKey> {
    // An acronym is judged on the name as written: capitals, with or without dots.
    let trimmed: Vec<&String> = raw
        .iter()
        .filter(|t| !t.eq_ignore_ascii_case("the"))
        .collect();
    if let [only] = trimmed.as_slice() {
        let letters: String = only.chars().filter(|c| *c != '.').collect();
        let letters = letters.trim_end_matches("'s").trim_end_matches("’s");
        let n = letters.chars().count();
        if (2..=6).contains(&n) && letters.chars().all(|c| c.is_ascii_uppercase()) {
            let lower = letters.to_ascii_lowercase();
            return Some(NameKey {
                norm: lower.clone(),
                form: Form::Acronym,
                key: format!("~{lower}"),
                last: None,
                initials: Some(lower),
            });
        }
    }
    let mut words: Vec<String> = raw.iter().flat_map(|t| clean(t)).collect();
    while words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    if words.len() > 1 && words.last().is_some_and(|w| w == "s") {
        words.pop();
    }
    if words.is_empty() {
        return None;
    }
    let initials: String = words
        .iter()
        .filter(|w| !MINOR.contains(&w.as_str()))
        .filter_map(|w| w.chars().next())
        .collect();
    let norm = words.join(" ");
    Some(NameKey {
        key: norm.clone(),
        norm,
        form: Form::Plain,
        last: None,
        initials: (initials.chars().count() >= 2 && words.len() >= 2).then_some(initials),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str) -> NameKey {
        analyse(name, "person").unwrap()
    }
    fn o(name: &str) -> NameKey {
        analyse(name, "organization").unwrap()
    }

    #[test]
    fn transliterations_share_a_skeleton() {
        for v in [
            "Zelenskyy",
            "Zelensky",
            "Zelenskiy",
            "Zelenski",
            "Zelenskii",
        ] {
            assert_eq!(skeleton(&v.to_lowercase()), "zelensky", "{v}");
        }
        assert_eq!(skeleton("zelenska"), "zelenska");
        assert_ne!(skeleton("clinton"), skeleton("clifton"));
    }

    #[test]
    fn full_names_key_on_first_and_last() {
        assert_eq!(p("Volodymyr Zelenskyy").key, "volodymyr zelensky");
        assert_eq!(p("Volodymyr Zelensky").key, p("Volodymyr Zelenskyy").key);
        assert_eq!(p("President Volodymyr Zelenskyy").key, "volodymyr zelensky");
        assert_eq!(p("Democrat Hillary Clinton").key, p("Hillary Clinton").key);
        assert_eq!(p("First Lady Michelle Obama").key, p("Michelle Obama").key);
        assert_eq!(p("Donald J. Trump").key, p("Donald Trump").key);
        assert_ne!(p("Donald Trump Jr.").key, p("Donald Trump").key);
        assert_eq!(p("José Álvarez").key, p("Jose Alvarez").key);
        assert_ne!(p("Hillary Clinton").key, p("Bill Clinton").key);
        assert_eq!(p("Hillary Clinton").form, Form::Full);
    }

    #[test]
    fn bare_surnames_are_marked() {
        let z = p("Zelenskiy");
        assert_eq!(z.form, Form::Surname);
        assert_eq!(z.last.as_deref(), Some("zelensky"));
        assert_eq!(p("Mr. Zelensky").form, Form::Surname);
        assert_eq!(p("Volodymyr Zelenskyy").last, z.last);
        assert!(analyse("...", "person").is_none());
    }

    #[test]
    fn organizations_and_acronyms() {
        let un = o("the United Nations");
        assert_eq!(un.key, "united nations");
        assert_eq!(un.initials.as_deref(), Some("un"));
        for a in ["UN", "U.N.", "the UN"] {
            let k = o(a);
            assert_eq!(k.form, Form::Acronym, "{a}");
            assert_eq!(k.initials.as_deref(), Some("un"), "{a}");
        }
        assert_eq!(
            o("Federal Bureau of Investigation").initials.as_deref(),
            Some("fbi")
        );
        assert_eq!(o("United Nations").key, un.key);
        // A capitalized word that is a name, not an acronym, stays plain.
        assert_eq!(o("Reuters").form, Form::Plain);
        assert_eq!(o("Reuters").initials, None);
    }
}
