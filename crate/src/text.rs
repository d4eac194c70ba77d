//! Numbers and JSON as text, the same everywhere: the CLI writes every number as
//! JavaScript's `String(x)` does and JSON as `JSON.stringify` does, so what the page
//! exports (with JavaScript's own formatting) and what the CLI prints for the same run
//! are equal as text: `2`, `0.1`, `1e-7`, `31373005411249890`, `1.5e+300`.

use std::io;

/// `v` as ECMAScript's Number::toString writes it: the shortest digits that read back
/// as `v` (Rust's shortest round-trip, the same digits), laid out by the standard's
/// rule — plain for 10⁻⁶ ≤ |v| < 10²¹, else with an exponent `e±n`; `-0` is `0`,
/// and `Infinity`, `-Infinity` and `NaN` are written as JavaScript writes them.
pub fn number(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if v == 0.0 {
        return "0".into();
    }
    // `{:e}` gives the shortest digits: d.ddd…e±x, so v = 0.digits × 10^n with n = x + 1.
    let scientific = format!("{:e}", v.abs());
    let (mantissa, exponent) = scientific.split_once('e').expect("{:e} writes an exponent");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let n = exponent.parse::<i32>().expect("an integer exponent") + 1;
    let k = digits.len() as i32;
    let sign = if v < 0.0 { "-" } else { "" };
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = if n > 0 {
            format!("e+{}", n - 1)
        } else {
            format!("e-{}", 1 - n)
        };
        match digits.split_at(1) {
            (first, "") => format!("{first}{e}"),
            (first, rest) => format!("{first}.{rest}{e}"),
        }
    };
    format!("{sign}{body}")
}

/// `v` to three significant digits, written by [`number`]: `0.333`, `3.21e-7`, `1`.
pub fn significant(v: f64) -> String {
    if !v.is_finite() {
        return number(v);
    }
    number(format!("{v:.2e}").parse().unwrap_or(v))
}

/// `v` as an axis labels it: [`number`]'s digits, plain from 0.001 to 99999 as there,
/// and outside that as a mantissa and a signed-only-when-negative exponent, short enough
/// for a tick: `0.001`, `250`, `1e-5`, `2e5`, `-1.5e12`. Every chart and axis uses it.
pub fn tick(v: f64) -> String {
    if !v.is_finite() || v == 0.0 || (1e-3..1e5).contains(&v.abs()) {
        number(v)
    } else {
        // Rust's `{:e}` writes the same shortest digits as `number`: 1.5e12, -1e-5.
        format!("{v:e}")
    }
}

/// `value` as JSON, as `JSON.stringify(value)` writes it, or with `pretty` as
/// `JSON.stringify(value, null, 2)` does.
pub fn json<T: serde::Serialize + ?Sized>(value: &T, pretty: bool) -> String {
    let mut out = Vec::new();
    let result = if pretty {
        let formatter = Js(serde_json::ser::PrettyFormatter::with_indent(b"  "));
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut out, formatter,
        ))
    } else {
        let formatter = Js(serde_json::ser::CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut out, formatter,
        ))
    };
    result.expect("plain data serializes");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// serde_json's formatter `F` with numbers written by [`number`].
struct Js<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Js<F> {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(number(value).as_bytes())
    }
    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, value.into())
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// `text` with every control character written as an escape (`\u{1b}`), so that a
/// value echoed in a message cannot drive the terminal.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A value to quote in a message: printable, and at most 60 characters of it.
pub fn quoted(text: &str) -> String {
    let mut shown: String = text.chars().take(60).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    printable(&shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        for (v, text) in [
            (2.0, "2"),
            (-2.0, "-2"),
            (0.1, "0.1"),
            (-0.0, "0"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (123.456, "123.456"),
            (31373005411249890.0, "31373005411249890"),
            (1e21, "1e+21"),
            (1.2345e22, "1.2345e+22"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::INFINITY, "Infinity"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(number(v), text, "{v:e}");
        }
    }

    #[test]
    fn ticks_are_plain_between_a_thousandth_and_a_hundred_thousand() {
        for (v, text) in [
            (0.0, "0"),
            (-0.0, "0"),
            (0.001, "0.001"),
            (0.1, "0.1"),
            (0.3, "0.3"),
            (2000.0, "2000"),
            (99999.0, "99999"),
            (1e5, "1e5"),
            (-1.5e12, "-1.5e12"),
            (0.0005, "5e-4"),
            (1e-5, "1e-5"),
            (2.5e-7, "2.5e-7"),
        ] {
            assert_eq!(tick(v), text, "{v:e}");
        }
    }

    #[test]
    fn json_is_written_as_json_stringify_writes_it() {
        let value = serde_json::json!({"W": [[1.0, -0.5]], "b": [], "l2": 0.0});
        assert_eq!(json(&value, false), r#"{"W":[[1,-0.5]],"b":[],"l2":0}"#);
        assert_eq!(
            json(&value, true),
            "{\n  \"W\": [\n    [\n      1,\n      -0.5\n    ]\n  ],\n  \"b\": [],\n  \"l2\": 0\n}"
        );
    }

    #[test]
    fn significant_keeps_three_digits() {
        for (v, text) in [
            (1.0 / 3.0, "0.333"),
            (3.2145e-7, "3.21e-7"),
            (1.0, "1"),
            (-2.805118086952745, "-2.81"),
            (123456.0, "123000"),
            (0.0, "0"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(significant(v), text, "{v}");
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(quoted(&"x".repeat(100)).chars().count(), 61);
    }
}
