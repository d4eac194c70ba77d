//! Named, validated hyperparameters and the `NAME[:key=value,...]` spec syntax that the
//! CLI, the page and shared links all use (`adam:lr=0.01,amsgrad=true`).
//!
//! Every configuration struct is declared once with [`hyperparameters!`]: its fields,
//! their keys, `Default` values, valid ranges and the controls that show them (a label
//! in words, the lecture's symbol, a slider). That one table gives `Default`, the
//! validating constructor, parsing from a spec and the listing the CLI and the pages
//! show.

use std::fmt;

/// An error a user can act on: it names the bad value and what would be valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }
}

/// A setting that cannot be used, and why: `field` names the setting (a field of the
/// settings it belongs to), `message` says what would be valid.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

impl Problem {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Problem {
            field,
            message: message.into(),
        }
    }
}

/// `NAME[:key=value,...]`, parsed but not yet interpreted. In JSON (and from the page)
/// a spec is that text, or `{"id": NAME, "params": {key: value, ...}}` with numbers,
/// booleans or text as values; it is written as the latter. For the kinds in
/// [`VERBATIM`], everything after the first `:` is one parameter's text:
/// `formula:(1-x)^2+100*(y-x^2)^2` is `{"id": "formula", "params": {"f": "(1-x)^2+…"}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub id: String,
    pub params: Vec<(String, String)>,
}

/// The kinds whose text after the `:` is one parameter, taken verbatim (commas and `=`
/// included, surrounding whitespace trimmed), with that parameter's key: a typed formula,
/// and a slice of a network's loss, defined by JSON (`crate::lab::slice`).
pub const VERBATIM: &[(&str, &str)] = &[("formula", "f"), ("slice", "definition")];

/// A hyperparameter's value as JSON and the page hold it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    Number(f64),
    Bool(bool),
    Text(String),
}

/// Read by a visitor rather than as an untagged enum, which would buffer every value
/// first: the page's binary stays smaller.
impl<'de> serde::Deserialize<'de> for ParamValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ParamValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, true or false, or text")
            }
            fn visit_bool<E>(self, v: bool) -> Result<ParamValue, E> {
                Ok(ParamValue::Bool(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<ParamValue, E> {
                Ok(ParamValue::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<ParamValue, E> {
                Ok(ParamValue::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<ParamValue, E> {
                Ok(ParamValue::Number(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> Result<ParamValue, E> {
                Ok(ParamValue::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl ParamValue {
    /// The value as a spec writes it.
    pub fn text(&self) -> String {
        match self {
            ParamValue::Number(v) => crate::text::number(*v),
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::Text(t) => t.clone(),
        }
    }

    /// A spec's text as a value: a number or boolean where it reads as one.
    pub fn from_text(text: &str) -> ParamValue {
        match (text, text.parse::<f64>()) {
            ("true", _) => ParamValue::Bool(true),
            ("false", _) => ParamValue::Bool(false),
            (_, Ok(v)) if v.is_finite() => ParamValue::Number(v),
            _ => ParamValue::Text(text.to_string()),
        }
    }
}

impl fmt::Display for Spec {
    /// `adam:lr=0.01,amsgrad=true`, or the bare name; `formula:EXPR` for a kind in
    /// [`VERBATIM`] with its one parameter.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)?;
        if let (Some(key), [(k, value)]) = (self.verbatim(), self.params.as_slice()) {
            if k == key {
                return write!(f, ":{value}");
            }
        }
        for (i, (key, value)) in self.params.iter().enumerate() {
            write!(f, "{}{key}={value}", if i == 0 { ':' } else { ',' })?;
        }
        Ok(())
    }
}

impl serde::Serialize for Spec {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Object<'a> {
            id: &'a str,
            params: std::collections::BTreeMap<String, ParamValue>,
        }
        Object {
            id: &self.id,
            params: self.typed_params(),
        }
        .serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Spec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(SpecVisitor)? {
            (spec, None) => Ok(spec),
            (_, Some(_)) => Err(serde::de::Error::unknown_field(
                "enabled",
                &["id", "params"],
            )),
        }
    }
}

/// A spec from its text, or from `{"id", "params"}` with, for a lab's optimizer, whether
/// it is `"enabled"`: read by a visitor rather than an untagged enum, which would buffer
/// every value first.
pub struct SpecVisitor;

impl<'de> serde::de::Visitor<'de> for SpecVisitor {
    type Value = (Spec, Option<bool>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a spec `NAME:key=value,...` or {\"id\", \"params\"}")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Spec::parse(text)
            .map(|spec| (spec, None))
            .map_err(E::custom)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let (mut id, mut params, mut enabled) = (None, std::collections::BTreeMap::new(), None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => id = Some(map.next_value::<String>()?),
                "params" => params = map.next_value()?,
                "enabled" => enabled = Some(map.next_value()?),
                other => return Err(A::Error::unknown_field(other, &["id", "params", "enabled"])),
            }
        }
        let id = id.ok_or_else(|| A::Error::missing_field("id"))?;
        Ok((Spec::from_typed(&id, &params), enabled))
    }
}

impl Spec {
    /// A spec of `id` with no parameters.
    pub fn named(id: &str) -> Spec {
        Spec {
            id: id.to_string(),
            params: Vec::new(),
        }
    }

    /// The key of the one parameter this kind takes verbatim, if it is in [`VERBATIM`].
    fn verbatim(&self) -> Option<&'static str> {
        VERBATIM
            .iter()
            .find(|(id, _)| *id == self.id)
            .map(|(_, key)| *key)
    }

    /// The parameters as typed values, by key: text always for a kind in
    /// [`VERBATIM`] (a formula `3` stays the text `3`).
    pub fn typed_params(&self) -> std::collections::BTreeMap<String, ParamValue> {
        let verbatim = self.verbatim().is_some();
        // Inserted one by one (a later key wins, as `collect` does): collecting sorts
        // the pairs first, a sort of its own in every page's wasm.
        let mut typed = std::collections::BTreeMap::new();
        for (k, v) in &self.params {
            let value = if verbatim {
                ParamValue::Text(v.clone())
            } else {
                ParamValue::from_text(v)
            };
            typed.insert(k.clone(), value);
        }
        typed
    }

    /// A spec from typed values, as the page holds them.
    pub fn from_typed(id: &str, params: &std::collections::BTreeMap<String, ParamValue>) -> Spec {
        Spec {
            id: id.to_string(),
            params: params.iter().map(|(k, v)| (k.clone(), v.text())).collect(),
        }
    }

    pub fn parse(text: &str) -> Result<Spec, Error> {
        let (id, rest) = text.split_once(':').unwrap_or((text, ""));
        let id = id.trim();
        if id.is_empty() {
            return Err(Error::new(format!(
                "`{}` has no name before the `:`",
                crate::text::quoted(text)
            )));
        }
        let mut spec = Spec::named(id);
        if let Some(key) = spec.verbatim().filter(|_| text.contains(':')) {
            spec.params = vec![(key.to_string(), rest.trim().to_string())];
            return Ok(spec);
        }
        let params = rest
            .split(',')
            .map(str::trim)
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => Ok((key.trim().to_string(), value.trim().to_string())),
                None => Err(Error::new(format!(
                    "`{}` in `{}` is not of the form key=value",
                    crate::text::quoted(pair),
                    crate::text::quoted(text)
                ))),
            })
            .collect::<Result<_, _>>()?;
        spec.params = params;
        Ok(spec)
    }
}

/// The interval a real hyperparameter must lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
    pub min_inclusive: bool,
    pub max_inclusive: bool,
}

impl Range {
    /// (0, ∞)
    pub const POSITIVE: Range = Range::new(0.0, f64::INFINITY, false, false);
    /// [0, ∞)
    pub const NON_NEGATIVE: Range = Range::new(0.0, f64::INFINITY, true, false);
    /// [0, 1)
    pub const UNIT_OPEN: Range = Range::new(0.0, 1.0, true, false);
    /// [0, 1]
    pub const UNIT: Range = Range::new(0.0, 1.0, true, true);

    pub const fn new(min: f64, max: f64, min_inclusive: bool, max_inclusive: bool) -> Self {
        Range {
            min,
            max,
            min_inclusive,
            max_inclusive,
        }
    }

    pub fn contains(&self, x: f64) -> bool {
        let above = if self.min_inclusive {
            x >= self.min
        } else {
            x > self.min
        };
        let below = if self.max_inclusive {
            x <= self.max
        } else {
            x < self.max
        };
        x.is_finite() && above && below
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound = |x: f64| {
            if x.is_infinite() {
                if x > 0.0 { "∞" } else { "-∞" }.to_string()
            } else {
                x.to_string()
            }
        };
        write!(
            f,
            "{}{}, {}{}",
            if self.min_inclusive { '[' } else { '(' },
            bound(self.min),
            bound(self.max),
            if self.max_inclusive { ']' } else { ')' }
        )
    }
}

/// The kinds of value a hyperparameter can hold.
pub trait Value: Sized {
    /// What a user may write, for messages and listings.
    const KIND: &'static str;
    fn parse(text: &str) -> Option<Self>;
    fn within(&self, range: Option<Range>) -> bool;
    /// Shortest round-trip text (`1e-8`, `0.9`, `true`).
    fn show(&self) -> String;
}

impl Value for f64 {
    const KIND: &'static str = "number";
    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }
    fn within(&self, range: Option<Range>) -> bool {
        range.map_or(self.is_finite(), |r| r.contains(*self))
    }
    fn show(&self) -> String {
        format!("{self:?}")
    }
}

impl Value for bool {
    const KIND: &'static str = "true or false";
    fn parse(text: &str) -> Option<Self> {
        match text {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }
    fn within(&self, _: Option<Range>) -> bool {
        true
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Value for u64 {
    const KIND: &'static str = "whole number";
    /// `7`, or `7.0` as JavaScript numbers arrive.
    fn parse(text: &str) -> Option<Self> {
        text.parse().ok().or_else(|| {
            let v: f64 = text.parse().ok()?;
            (v.fract() == 0.0 && (0.0..1.8e19).contains(&v)).then_some(v as u64)
        })
    }
    fn within(&self, range: Option<Range>) -> bool {
        range.is_none_or(|r| r.contains(*self as f64))
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

/// How a control's slider spans a value: from `min` to `max`, evenly in the value or
/// (`log`) in its logarithm, in whole steps when `integer`. A slider spans the values
/// worth dragging through, always inside the valid range; the number beside it takes any
/// valid value.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Slider {
    pub min: f64,
    pub max: f64,
    pub log: bool,
    pub integer: bool,
}

/// What a control shows: a short `label` in words (no keys, no underscores), the
/// lecture's `symbol` where it has one, and its slider (none for a switch).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Control {
    pub label: &'static str,
    pub symbol: Option<&'static str>,
    pub slider: Option<Slider>,
}

impl Control {
    /// A control labelled `label`, with neither symbol nor slider (a switch).
    pub const fn new(label: &'static str) -> Control {
        Control {
            label,
            symbol: None,
            slider: None,
        }
    }

    pub const fn symbol(self, symbol: &'static str) -> Control {
        Control {
            symbol: Some(symbol),
            ..self
        }
    }

    const fn slider(self, min: f64, max: f64, log: bool, integer: bool) -> Control {
        Control {
            slider: Some(Slider {
                min,
                max,
                log,
                integer,
            }),
            ..self
        }
    }

    /// A slider even in the value.
    pub const fn linear(self, min: f64, max: f64) -> Control {
        self.slider(min, max, false, false)
    }

    /// A slider even in log(value), for rates and scales spanning decades.
    pub const fn log(self, min: f64, max: f64) -> Control {
        self.slider(min, max, true, false)
    }

    /// A slider over whole numbers.
    pub const fn whole(self, min: f64, max: f64) -> Control {
        self.slider(min, max, false, true)
    }

    /// A slider over whole numbers, even in their logarithm.
    pub const fn whole_log(self, min: f64, max: f64) -> Control {
        self.slider(min, max, true, true)
    }
}

/// One row of a configuration's table, for listings and the page's controls.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Parameter {
    pub key: &'static str,
    /// `number`, `whole number`, `true or false`, or `text` (a formula, shown in a
    /// text field, with neither range nor slider).
    pub kind: &'static str,
    pub default: String,
    /// The valid interval of a real parameter, written like `[0, 1)`.
    #[serde(serialize_with = "range_text")]
    pub range: Option<Range>,
    /// One sentence on what the value does.
    pub about: &'static str,
    pub label: &'static str,
    pub symbol: Option<&'static str>,
    pub slider: Option<Slider>,
}

fn range_text<S: serde::Serializer>(range: &Option<Range>, s: S) -> Result<S::Ok, S::Error> {
    match range {
        Some(range) => s.collect_str(range),
        None => s.serialize_none(),
    }
}

impl Parameter {
    /// A row from the table's declaration. Kept out of line, so that each table's
    /// `parameters()` is one call per row rather than the formatting repeated.
    #[inline(never)]
    pub fn new<T: Value>(
        key: &'static str,
        default: T,
        range: Option<Range>,
        about: &'static str,
        control: Control,
    ) -> Parameter {
        Parameter {
            key,
            kind: T::KIND,
            default: default.show(),
            range,
            about: about.trim_ascii(),
            label: control.label,
            symbol: control.symbol,
            slider: control.slider,
        }
    }
}

/// A configuration declared with [`hyperparameters!`].
pub trait Configuration: Default + Sized {
    /// The owner's name, for messages (`adam`, `quadratic`).
    const NAME: &'static str;
    fn parameters() -> Vec<Parameter>;
    /// Sets one field from its key; an unknown key or unparsable value is an error.
    fn set(&mut self, key: &str, value: &str) -> Result<(), Error>;
    /// Checks every field against its range.
    fn validated(self) -> Result<Self, Error>;

    /// Defaults, overridden by `params`, then validated.
    fn from_params(params: &[(String, String)]) -> Result<Self, Error> {
        let mut config = Self::default();
        for (key, value) in params {
            config.set(key, value)?;
        }
        config.validated()
    }
}

pub(crate) fn parse_value<T: Value>(owner: &str, key: &str, text: &str) -> Result<T, Error> {
    T::parse(text).ok_or_else(|| {
        Error::new(format!(
            "{owner}: {key} = `{}` is not a {}",
            crate::text::quoted(text),
            T::KIND
        ))
    })
}

pub(crate) fn check_value<T: Value>(
    owner: &str,
    key: &str,
    value: &T,
    range: Option<Range>,
) -> Result<(), Error> {
    if value.within(range) {
        return Ok(());
    }
    Err(Error::new(match range {
        Some(range) => format!(
            "{owner}: {key} = {} is out of range; it must be in {range}",
            value.show()
        ),
        None => format!("{owner}: {key} = {} is not a finite number", value.show()),
    }))
}

pub(crate) fn unknown_key(owner: &str, key: &str, keys: &[&str]) -> Error {
    let expected = if keys.is_empty() {
        "it takes no parameters".to_string()
    } else {
        format!("expected one of: {}", keys.join(", "))
    };
    Error::new(format!(
        "{owner}: unknown parameter `{}`; {expected}",
        crate::text::quoted(key)
    ))
}

/// Declares a configuration struct from one table: per row, its doc comment (what the
/// value does, for listings) and `field: Type = default, "key", range, control;`.
/// `range` is `Some(Range)` for a bounded parameter, `None` otherwise; `control` is the
/// [`Control`] that shows it.
#[macro_export]
macro_rules! hyperparameters {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($owner:literal) {
            $( $(#[doc = $doc:literal])* $field:ident : $ty:ty = $default:expr, $key:literal, $range:expr, $control:expr; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl $crate::config::Configuration for $name {
            const NAME: &'static str = $owner;

            fn parameters() -> Vec<$crate::config::Parameter> {
                vec![$( $crate::config::Parameter::new::<$ty>(
                    $key,
                    $default as $ty,
                    $range,
                    concat!($($doc),*),
                    $control,
                ) ),*]
            }

            fn set(&mut self, key: &str, value: &str) -> Result<(), $crate::config::Error> {
                match key {
                    $( $key => self.$field = $crate::config::parse_value($owner, $key, value)?, )*
                    _ => return Err($crate::config::unknown_key($owner, key, &[$($key),*])),
                }
                Ok(())
            }

            fn validated(self) -> Result<Self, $crate::config::Error> {
                $( $crate::config::check_value($owner, $key, &self.$field, $range)?; )*
                Ok(self)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_parses_name_and_pairs() {
        let spec = Spec::parse("adam: lr=0.01, amsgrad=true").unwrap();
        assert_eq!(spec.id, "adam");
        assert_eq!(
            spec.params,
            vec![
                ("lr".to_string(), "0.01".to_string()),
                ("amsgrad".to_string(), "true".to_string())
            ]
        );
        assert_eq!(Spec::parse("sgd").unwrap().params, vec![]);
        assert!(Spec::parse(":lr=1").is_err());
        assert!(Spec::parse("sgd:lr").unwrap_err().0.contains("key=value"));
    }

    #[test]
    fn specs_read_text_or_objects_and_write_objects() {
        let text: Spec = serde_json::from_str(r#""adam:lr=0.01,amsgrad=true""#).unwrap();
        let object: Spec =
            serde_json::from_str(r#"{"id": "adam", "params": {"lr": 0.01, "amsgrad": true}}"#)
                .unwrap();
        assert_eq!(
            (&text.id, text.typed_params()),
            (&object.id, object.typed_params())
        );
        assert_eq!(text.to_string(), "adam:lr=0.01,amsgrad=true");
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            r#"{"id":"adam","params":{"amsgrad":true,"lr":0.01}}"#
        );
        assert!(serde_json::from_str::<Spec>(r#"":lr=1""#).is_err());
        assert_eq!(Spec::named("sgd").to_string(), "sgd");
    }

    #[test]
    fn a_formula_is_everything_after_the_first_colon() {
        let text = " formula : atan2(y, x) + max(x, 1) * a=b:c ";
        let spec = Spec::parse(text).unwrap();
        assert_eq!(spec.id, "formula");
        assert_eq!(
            spec.params,
            [(
                "f".to_string(),
                "atan2(y, x) + max(x, 1) * a=b:c".to_string()
            )]
        );
        assert_eq!(spec.to_string(), "formula:atan2(y, x) + max(x, 1) * a=b:c");
        assert_eq!(Spec::parse(&spec.to_string()).unwrap(), spec);
        // Written as an object with the formula as text, even one that reads as a number.
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(json["params"]["f"], "atan2(y, x) + max(x, 1) * a=b:c");
        let back: Spec = serde_json::from_value(json).unwrap();
        assert_eq!(back, spec);
        let three = Spec::parse("formula:3").unwrap();
        assert_eq!(
            serde_json::to_string(&three).unwrap(),
            r#"{"id":"formula","params":{"f":"3"}}"#
        );
        let object: Spec =
            serde_json::from_str(r#"{"id": "formula", "params": {"f": "x^2, y"}}"#).unwrap();
        assert_eq!(object.to_string(), "formula:x^2, y");
        // Without a colon, the default; with nothing after it, an empty formula.
        assert_eq!(Spec::parse("formula").unwrap(), Spec::named("formula"));
        assert_eq!(Spec::parse("formula:").unwrap().params[0].1, "");
    }

    #[test]
    fn ranges_print_and_check_their_bounds() {
        assert_eq!(Range::UNIT_OPEN.to_string(), "[0, 1)");
        assert_eq!(Range::POSITIVE.to_string(), "(0, ∞)");
        assert!(Range::UNIT_OPEN.contains(0.0));
        assert!(!Range::UNIT_OPEN.contains(1.0));
        assert!(!Range::POSITIVE.contains(0.0));
        assert!(!Range::POSITIVE.contains(f64::NAN));
        assert!(!Range::POSITIVE.contains(f64::INFINITY));
    }
}
