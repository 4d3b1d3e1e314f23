//! A PolNeAR split on disk: takes the data directory and a split name, gives every
//! article's text, gold attributions (as score.py's `load_gold`) and publication date
//! (from `metadata.tsv`, when present).

use crate::brat::Ann;
use crate::preds::Attribution;
use crate::EvalError;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One article with its gold.
#[derive(Clone, Debug, Default)]
pub struct Article {
    /// The text file's stem.
    pub name: String,
    /// The text as Python reads it (universal newlines: `\r\n` and `\r` become `\n`).
    pub text: String,
    /// Gold attributions (empty when the article has no .ann file).
    pub gold: Vec<Attribution>,
    /// The .ann file the gold came from.
    pub gold_file: Option<PathBuf>,
    /// `publication_date` from metadata.tsv, as written there (YYYY-MM-DD).
    pub publication_date: Option<String>,
}

/// A split (or several pooled), articles in score.py's order.
#[derive(Clone, Debug, Default)]
pub struct Split {
    /// The split name; pooled splits are joined with `+` (`dev+train`).
    pub name: String,
    pub articles: Vec<Article>,
}

impl Split {
    /// Load `data_dir/split`: every `text/NAME.txt` in sorted order, with the gold of the
    /// first `attributions/NAME_*.ann` in sorted order (the .ann name split on its last
    /// `_` gives NAME). A missing `attributions` directory means no gold, as in score.py.
    pub fn load(data_dir: &Path, split: &str) -> Result<Split, EvalError> {
        if !data_dir.is_dir() {
            return Err(EvalError::MissingDataDir(data_dir.to_path_buf()));
        }
        let text_dir = data_dir.join(split).join("text");
        if !text_dir.is_dir() {
            return Err(EvalError::MissingSplit {
                split: split.to_string(),
                path: text_dir,
            });
        }
        let dates = read_dates(&data_dir.join("metadata.tsv"))?;
        let mut articles = Vec::new();
        for (name, path) in list_files(&text_dir, ".txt")? {
            let raw = std::fs::read_to_string(&path).map_err(|e| EvalError::io(&path, e))?;
            let text = match universal_newlines(&raw) {
                Cow::Borrowed(_) => raw,
                Cow::Owned(s) => s,
            };
            let publication_date = dates.get(&name).cloned();
            articles.push(Article {
                name,
                text,
                publication_date,
                ..Article::default()
            });
        }
        let index: HashMap<String, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name.clone(), i))
            .collect();
        let ann_dir = data_dir.join(split).join("attributions");
        if ann_dir.is_dir() {
            for (stem, path) in list_files(&ann_dir, ".ann")? {
                let name = stem.rsplit_once('_').map_or(stem.as_str(), |(n, _)| n);
                let Some(&i) = index.get(name) else { continue };
                let article = &mut articles[i];
                if article.gold_file.is_some() {
                    continue;
                }
                let src = std::fs::read_to_string(&path).map_err(|e| EvalError::io(&path, e))?;
                article.gold = Ann::parse(&universal_newlines(&src)).attributions();
                article.gold_file = Some(path);
            }
        }
        Ok(Split {
            name: split.to_string(),
            articles,
        })
    }

    /// Load several splits pooled into one, as score.py's `--comp A B`: an article name
    /// found in a later split replaces the earlier one.
    pub fn load_pooled<S: AsRef<str>>(data_dir: &Path, splits: &[S]) -> Result<Split, EvalError> {
        let mut pooled = Split::default();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut names = Vec::new();
        for split in splits {
            let split = Split::load(data_dir, split.as_ref())?;
            names.push(split.name);
            for article in split.articles {
                match index.get(&article.name) {
                    Some(&i) => pooled.articles[i] = article,
                    None => {
                        index.insert(article.name.clone(), pooled.articles.len());
                        pooled.articles.push(article);
                    }
                }
            }
        }
        pooled.name = names.join("+");
        Ok(pooled)
    }

    /// The article called `name`.
    pub fn get(&self, name: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.name == name)
    }

    /// Total number of gold attributions.
    pub fn n_gold(&self) -> usize {
        self.articles.iter().map(|a| a.gold.len()).sum()
    }
}

/// `(stem, path)` of the files in `dir` named `*{ext}`, sorted by name; hidden files
/// are left out, as glob leaves them out.
fn list_files(dir: &Path, ext: &str) -> Result<Vec<(String, PathBuf)>, EvalError> {
    let entries = std::fs::read_dir(dir).map_err(|e| EvalError::io(dir, e))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| EvalError::io(dir, e))?;
        let Ok(file_name) = entry.file_name().into_string() else {
            continue;
        };
        if file_name.starts_with('.') {
            continue;
        }
        if let Some(stem) = file_name.strip_suffix(ext) {
            out.push((stem.to_string(), entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// Python's text-mode newline translation.
fn universal_newlines(s: &str) -> Cow<'_, str> {
    if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `filename -> publication_date` from metadata.tsv (header row, tab-separated); an
/// absent file gives no dates, rows too short or with an empty date are skipped.
fn read_dates(path: &Path) -> Result<HashMap<String, String>, EvalError> {
    let src = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(EvalError::io(path, e)),
    };
    let mut lines = src.lines();
    let Some(header) = lines.next() else {
        return Ok(HashMap::new());
    };
    let col = |name: &str| header.split('\t').position(|h| h.trim() == name);
    let (Some(file_col), Some(date_col)) = (col("filename"), col("publication_date")) else {
        return Ok(HashMap::new());
    };
    let mut dates = HashMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        if let (Some(file), Some(date)) = (fields.get(file_col), fields.get(date_col)) {
            let (file, date) = (file.trim(), date.trim());
            if !file.is_empty() && !date.is_empty() {
                let name = file.strip_suffix(".txt").unwrap_or(file);
                dates.insert(name.to_string(), date.to_string());
            }
        }
    }
    Ok(dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("onrecord-eval-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn loads_a_split_like_score_py() {
        let data = scratch("corpus");
        let text = data.join("tiny/text");
        let ann = data.join("tiny/attributions");
        fs::create_dir_all(&text).unwrap();
        fs::create_dir_all(&ann).unwrap();
        fs::write(text.join("b_art.txt"), "Title\r\n\r\nShe said yes.").unwrap();
        fs::write(text.join("a_art.txt"), "Nothing here.").unwrap();
        fs::write(text.join(".hidden.txt"), "x").unwrap();
        // Two annotators: the first in sorted order wins.
        fs::write(
            ann.join("b_art_00ff.ann"),
            "T1\tContent 16 19\tyes\nE1\tContent:T1\n",
        )
        .unwrap();
        fs::write(
            ann.join("b_art_1234.ann"),
            "T1\tContent 0 5\tTitle\nE1\tContent:T1\n",
        )
        .unwrap();
        fs::write(
            ann.join("zzz_0000.ann"),
            "T1\tContent 0 1\tx\nE1\tContent:T1\n",
        )
        .unwrap();
        fs::write(
            data.join("metadata.tsv"),
            "compartment\tfilename\tpublication_date\ttitle\ntiny\tb_art\t2016-09-12\tT\nbad\n",
        )
        .unwrap();

        let split = Split::load(&data, "tiny").unwrap();
        let names: Vec<_> = split.articles.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["a_art", "b_art"]);
        let b = split.get("b_art").unwrap();
        assert_eq!(b.text, "Title\n\nShe said yes.");
        assert_eq!(b.gold.len(), 1);
        assert_eq!(b.gold[0].content, vec![(16, 19)]);
        assert!(b.gold_file.as_ref().unwrap().ends_with("b_art_00ff.ann"));
        assert_eq!(b.publication_date.as_deref(), Some("2016-09-12"));
        assert!(split.get("a_art").unwrap().gold.is_empty());
        assert_eq!(split.n_gold(), 1);

        let pooled = Split::load_pooled(&data, &["tiny", "tiny"]).unwrap();
        assert_eq!(pooled.name, "tiny+tiny");
        assert_eq!(pooled.articles.len(), 2);

        assert!(matches!(
            Split::load(&data, "nope"),
            Err(EvalError::MissingSplit { .. })
        ));
        assert!(matches!(
            Split::load(&data.join("absent"), "tiny"),
            Err(EvalError::MissingDataDir(_))
        ));
        fs::remove_dir_all(&data).unwrap();
    }
}
