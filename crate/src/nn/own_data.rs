//! Data of one's own, read from CSV text: points of the plane with their class,
//! `x1,x2,label`, or a curve's points, `x,y` (regression), one a line; optionally a
//! header line, and a last column `set` (`train` or `validation`) as the lab's data
//! export writes it, so that an exported file loads back with its split.
//!
//! Written here rather than with the `csv` crate: the crate added 7.5 KB gzipped to the
//! network lab's wasm, which is over its weight budget, and these files need none of
//! its quoting rules — a field is a number or a word, commas separate them. A field in
//! double quotes (as spreadsheets may write a header) is read without them.

use super::data::{Dataset, Split};
use super::network::Targets;
use crate::config::Error;
use crate::text::quoted;
use nalgebra::DMatrix;

/// The most classes a file may label: as many as blobs and spirals can have, one
/// colour each on the map.
pub const MOST_CLASSES: usize = 8;

/// The largest size a value may have: the map's region around the data (its span and
/// a tenth more on each side) stays finite, and so do the sums and squares a
/// normalization makes of them.
pub const MOST_MAGNITUDE: f64 = 1e15;

/// Points read from CSV, and the set each one is in when the file says.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnData {
    pub dataset: Dataset,
    /// Per point, whether it is held out for validation; `None` without a `set` column.
    pub validation: Option<Vec<bool>>,
}

/// The columns every row of a file has: 2 or 3 numbers, then perhaps a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shape {
    numbers: usize,
    set: bool,
    /// The line that fixed the shape, to name in errors.
    line: usize,
}

impl Shape {
    fn columns(self) -> usize {
        self.numbers + usize::from(self.set)
    }

    fn describe(self) -> String {
        let names = if self.numbers == 3 {
            "x1,x2,label"
        } else {
            "x,y"
        };
        let set = if self.set { ",set" } else { "" };
        format!("{names}{set}")
    }
}

/// One field without the blanks and double quotes around it.
fn field(text: &str) -> &str {
    let text = text.trim();
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .map_or(text, str::trim)
}

/// The columns of a first line of `fields`: a header's last name `set`, or a data
/// row's last field that is not a number, is the set column.
fn shape_of(fields: &[&str], header: bool, line: usize) -> Result<Shape, Error> {
    let set = fields.len() > 1
        && fields.last().is_some_and(|f| match header {
            true => f.eq_ignore_ascii_case("set"),
            false => f.parse::<f64>().is_err(),
        });
    let numbers = fields.len() - usize::from(set);
    match numbers {
        2 | 3 => Ok(Shape { numbers, set, line }),
        1 if fields[0].contains(';') => Err(Error::new(format!(
            "line {line}: columns are separated by commas here, not semicolons"
        ))),
        n if n < 2 => Err(Error::new(format!(
            "line {line}: too few columns ({n}); write x1,x2,label for points of the plane or x,y for a curve, with an optional set column"
        ))),
        n => Err(Error::new(format!(
            "line {line}: too many columns ({n}); write x1,x2,label for points of the plane or x,y for a curve, with an optional set column (images such as the digits cannot be loaded)"
        ))),
    }
}

/// A finite number within ±[`MOST_MAGNITUDE`], or an error naming the line and column.
fn number(text: &str, line: usize, column: usize) -> Result<f64, Error> {
    let value: f64 = text.parse().map_err(|_| {
        Error::new(format!(
            "line {line}, column {column}: `{}` is not a number",
            quoted(text)
        ))
    })?;
    if !value.is_finite() {
        return Err(Error::new(format!(
            "line {line}, column {column}: `{}` is not a finite number",
            quoted(text)
        )));
    }
    if value.abs() > MOST_MAGNITUDE {
        return Err(Error::new(format!(
            "line {line}, column {column}: `{}` is too large; values must be within ±{MOST_MAGNITUDE:e}",
            quoted(text)
        )));
    }
    Ok(value)
}

/// A class label: a whole number from 0 to [`MOST_CLASSES`] − 1.
fn label(text: &str, line: usize) -> Result<usize, Error> {
    let value = number(text, line, 3)?;
    if value < 0.0 || value.fract() != 0.0 {
        return Err(Error::new(format!(
            "line {line}: the label `{}` is not a class; labels are whole numbers 0, 1, 2, …",
            quoted(text)
        )));
    }
    if value >= MOST_CLASSES as f64 {
        return Err(Error::new(format!(
            "line {line}: the label {value} is beyond the {MOST_CLASSES} classes the map shows; labels go from 0 to {}",
            MOST_CLASSES - 1
        )));
    }
    Ok(value as usize)
}

impl OwnData {
    /// The points of `text`, at most `most` of them. Lines are `x1,x2,label` (a
    /// class: a whole number from 0 to 7; the classes are 0 to the largest label) or
    /// `x,y` (a curve), numbers within ±10¹⁵, every line alike, each perhaps ending in `,train` or
    /// `,validation`, the first perhaps a header (a line whose first field is not a
    /// number); blank lines are skipped, a UTF-8 byte-order mark is fine. Anything else
    /// is an error naming the line and what is wrong with it.
    pub fn from_csv(text: &str, most: usize) -> Result<OwnData, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut shape: Option<Shape> = None;
        let (mut x, mut targets, mut sets) = (Vec::new(), Vec::new(), Vec::new());
        let mut rows = 0;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            if raw.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = raw.split(',').map(field).collect();
            let known = match shape {
                Some(known) => known,
                None => {
                    let header = fields[0].parse::<f64>().is_err();
                    let first = shape_of(&fields, header, line)?;
                    shape = Some(first);
                    if header {
                        // Its names are the user's; its columns count.
                        continue;
                    }
                    first
                }
            };
            if fields.len() != known.columns() {
                return Err(Error::new(format!(
                    "line {line} has {} columns, but line {} has {} ({}): every row must have the same columns",
                    fields.len(),
                    known.line,
                    known.columns(),
                    known.describe()
                )));
            }
            if rows == most {
                return Err(Error::new(format!(
                    "line {line}: more than {most} rows; a dataset holds at most {most} points"
                )));
            }
            x.push(number(fields[0], line, 1)?);
            if known.numbers == 3 {
                x.push(number(fields[1], line, 2)?);
                targets.push(label(fields[2], line)? as f64);
            } else {
                targets.push(number(fields[1], line, 2)?);
            }
            if known.set {
                let set = fields[known.numbers];
                let validation = set.eq_ignore_ascii_case("validation");
                if !(validation || set.eq_ignore_ascii_case("train")) {
                    return Err(Error::new(format!(
                        "line {line}: the set `{}` is neither train nor validation",
                        quoted(set)
                    )));
                }
                sets.push(validation);
            }
            rows += 1;
        }
        let Some(shape) = shape.filter(|_| rows > 0) else {
            return Err(Error::new(
                "the file has no rows of data: write x1,x2,label (points of the plane and their class) or x,y (a curve) on each line",
            ));
        };
        if sets.iter().all(|&validation| validation) && shape.set {
            return Err(Error::new(
                "every row is in the validation set: at least one must be for training",
            ));
        }
        let dataset = if shape.numbers == 3 {
            let labels: Vec<usize> = targets.iter().map(|&l| l as usize).collect();
            let classes = labels.iter().max().map_or(0, |&k| k + 1);
            if classes < 2 {
                return Err(Error::new(
                    "every label is 0: a classification needs at least two classes, labelled 0 and 1",
                ));
            }
            Dataset {
                x: DMatrix::from_vec(2, rows, x),
                targets: Targets::Classes(labels),
                classes,
            }
        } else {
            Dataset {
                x: DMatrix::from_vec(1, rows, x),
                targets: Targets::Values(DMatrix::from_vec(1, rows, targets)),
                classes: 0,
            }
        };
        Ok(OwnData {
            dataset,
            validation: shape.set.then_some(sets),
        })
    }

    /// The split the file gives, in its rows' order: its training rows, its validation
    /// rows; `None` when it names no sets.
    pub fn split(&self) -> Option<Split> {
        let sets = self.validation.as_ref()?;
        let part = |held_out: bool| {
            let rows: Vec<usize> = (0..sets.len()).filter(|&i| sets[i] == held_out).collect();
            self.dataset.select(&rows)
        };
        Some(Split {
            train: part(false),
            validation: part(true),
            test: self.dataset.select(&[]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<OwnData, String> {
        OwnData::from_csv(text, 100).map_err(|e| e.0)
    }

    #[test]
    fn points_of_the_plane_with_a_header_and_their_sets() {
        let own = read(
            "\u{feff}x1,x2,label,set\r\n0.5,-1,1,train\n\n2,3e-1,0,validation\n-4,5,2,TRAIN\n",
        )
        .unwrap();
        let d = &own.dataset;
        assert_eq!(
            d.x,
            DMatrix::from_vec(2, 3, vec![0.5, -1.0, 2.0, 0.3, -4.0, 5.0])
        );
        assert_eq!(
            (d.targets.clone(), d.classes),
            (Targets::Classes(vec![1, 0, 2]), 3)
        );
        assert_eq!(own.validation, Some(vec![false, true, false]));
        let split = own.split().unwrap();
        assert_eq!(split.train, d.select(&[0, 2]));
        assert_eq!(split.validation, d.select(&[1]));
        assert!(split.test.is_empty());
    }

    #[test]
    fn a_curve_without_header_or_sets() {
        let own = read(" 1 , 2\n\"3\",-4.5\n").unwrap();
        assert_eq!(own.dataset.x, DMatrix::from_vec(1, 2, vec![1.0, 3.0]));
        assert_eq!(
            own.dataset.targets,
            Targets::Values(DMatrix::from_vec(1, 2, vec![2.0, -4.5]))
        );
        assert_eq!((own.dataset.classes, own.validation.clone()), (0, None));
        assert_eq!(own.split(), None);
        // x,y,set: three columns, the last a set.
        let own = read("x,y,set\n1,2,validation\n3,4,train\n").unwrap();
        assert_eq!(own.dataset.classes, 0);
        assert_eq!(own.validation, Some(vec![true, false]));
    }

    #[test]
    fn malformed_files_are_refused_naming_the_line_and_the_problem() {
        for (text, named) in [
            ("", "no rows of data"),
            ("x1,x2,label\n\n", "no rows of data"),
            (
                "1,2,0\n1,2\n",
                "line 2 has 2 columns, but line 1 has 3 (x1,x2,label)",
            ),
            (
                "1,2\n1,2,0\n",
                "line 2 has 3 columns, but line 1 has 2 (x,y)",
            ),
            ("1,2,0,train\n1,2,1\n", "line 2 has 3 columns"),
            ("1\n", "line 1: too few columns (1)"),
            ("1;2;0\n", "not semicolons"),
            ("1,2,3,4,5\n", "line 1: too many columns (5)"),
            ("1,2,0\n1,x,1\n", "line 2, column 2: `x` is not a number"),
            (
                "1,2,0\nNaN,1,1\n",
                "line 2, column 1: `NaN` is not a finite number",
            ),
            ("1,2,0\n1,1e999,1\n", "`1e999` is not a finite number"),
            (
                "1,2\n-2e15,1\n",
                "line 2, column 1: `-2e15` is too large; values must be within ±1e15",
            ),
            ("1,2,0\n1,1,1.5\n", "line 2: the label `1.5` is not a class"),
            ("1,2,-1\n", "the label `-1` is not a class"),
            ("1,2,8\n", "the label 8 is beyond the 8 classes"),
            ("1,2,0\n3,4,0\n", "every label is 0"),
            (
                "1,2,0,test\n",
                "line 1: the set `test` is neither train nor validation",
            ),
            ("1,2,validation\n", "every row is in the validation set"),
            (
                "1,2\n1,\u{7}\n",
                "line 2, column 2: `\\u{7}` is not a number",
            ),
        ] {
            let message = read(text).unwrap_err();
            assert!(message.contains(named), "{text:?}: {message}");
        }
        let rows: String = (0..101).map(|i| format!("{i},{i}\n")).collect();
        let message = read(&rows).unwrap_err();
        assert!(
            message.contains("line 101: more than 100 rows"),
            "{message}"
        );
        assert!(read(&rows[..rows.rfind("100,").unwrap()]).is_ok());
    }

    #[test]
    fn what_the_lab_exports_reads_back_with_its_split() {
        let text = "x1,x2,label,set\n0.25,-1,1,train\n2,0.5,0,validation\n";
        let own = read(text).unwrap();
        let split = own.split().unwrap();
        assert_eq!((split.train.len(), split.validation.len()), (1, 1));
    }

    proptest::proptest! {
        #[test]
        fn no_text_makes_the_reader_panic(text in "(\\PC{0,12}|[0-9.e,;\" -]{0,12}|train|validation|\n){0,12}") {
            if let Ok(own) = OwnData::from_csv(&text, 20) {
                let d = &own.dataset;
                proptest::prop_assert!(!d.is_empty() && d.len() <= 20);
                proptest::prop_assert!(d.x.iter().all(|v| v.is_finite()));
                if let Some(split) = own.split() {
                    proptest::prop_assert!(!split.train.is_empty());
                    proptest::prop_assert_eq!(split.train.len() + split.validation.len(), d.len());
                }
            }
        }
    }
}
