//! Reading a formula: tokens with their positions, then operator precedence by the
//! shunting-yard algorithm (Dijkstra 1961), which emits the [`Program`] in postfix
//! order as it reads. It keeps its pending operators in a vector, not on the call
//! stack, so no input can overflow the stack, natively or in wasm.
//!
//! Every error names the 1-based character position where reading stopped and what
//! would have been valid there: `at 7: expected ')' to close the '(' at 1`.

use super::program::{Callee, Op, Program, FUNCTIONS};
use crate::config::Error;
use std::iter::Peekable;
use std::str::CharIndices;

/// The longest formula read, in characters.
pub const MAX_LENGTH: usize = 10_000;

/// The most operators and parentheses pending at once: how deep a formula may nest.
pub const MAX_DEPTH: usize = 200;

/// What may start an operand, as messages say it.
const OPERAND: &str = "a number, x, y, a constant, a function or '('";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Token<'a> {
    Number(f64),
    Name(&'a str),
    Plus,
    Minus,
    Times,
    Divide,
    Power,
    Open,
    Close,
    Comma,
    End,
}

/// Tokens with the 1-based character position of their first character.
struct Lexer<'a> {
    text: &'a str,
    chars: Peekable<CharIndices<'a>>,
    /// Characters consumed so far.
    count: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Lexer {
            text,
            chars: text.char_indices().peekable(),
            count: 0,
        }
    }

    fn bump(&mut self) -> Option<(usize, char)> {
        self.count += 1;
        self.chars.next()
    }

    /// Whether the character after the next one satisfies `test`.
    fn second_is(&self, test: impl Fn(char) -> bool) -> bool {
        let mut ahead = self.chars.clone();
        ahead.next();
        ahead.next().is_some_and(|(_, c)| test(c))
    }

    /// Consumes characters while `test` holds; the byte offset after them.
    fn take_while(&mut self, test: impl Fn(char) -> bool) -> usize {
        while let Some(&(_, c)) = self.chars.peek() {
            if !test(c) {
                break;
            }
            self.bump();
        }
        self.chars.peek().map_or(self.text.len(), |&(i, _)| i)
    }

    fn next(&mut self) -> Result<(usize, Token<'a>), Error> {
        self.take_while(char::is_whitespace);
        let position = self.count + 1;
        let Some(&(start, c)) = self.chars.peek() else {
            return Ok((position, Token::End));
        };
        let single = match c {
            '+' => Some(Token::Plus),
            '-' | '−' => Some(Token::Minus),
            '*' | '×' | '·' => Some(Token::Times),
            '/' | '÷' => Some(Token::Divide),
            '^' => Some(Token::Power),
            '(' => Some(Token::Open),
            ')' => Some(Token::Close),
            ',' => Some(Token::Comma),
            'π' => Some(Token::Name("pi")),
            _ => None,
        };
        if let Some(token) = single {
            self.bump();
            return Ok((position, token));
        }
        let digit = |c: char| c.is_ascii_digit();
        if digit(c) || (c == '.' && self.second_is(digit)) {
            return self.number(start, position);
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let end = self.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
            return Ok((position, Token::Name(&self.text[start..end])));
        }
        Err(at(
            position,
            format!(
                "expected a number, a name, an operator or a parenthesis, not '{}'",
                c.escape_debug()
            ),
        ))
    }

    /// digits [. digits] [e [±] digits], or . digits [...]: `2`, `1.5`, `.5`, `1.`,
    /// `6.02e23`, `1E-3`. An `e` not followed by digits is not part of the number.
    fn number(&mut self, start: usize, position: usize) -> Result<(usize, Token<'a>), Error> {
        let digit = |c: char| c.is_ascii_digit();
        self.take_while(digit);
        if self.chars.peek().is_some_and(|&(_, c)| c == '.') {
            self.bump();
            self.take_while(digit);
        }
        if self
            .chars
            .peek()
            .is_some_and(|&(_, c)| c == 'e' || c == 'E')
        {
            let signed = self.second_is(|c| c == '+' || c == '-') && {
                let mut ahead = self.chars.clone();
                ahead.nth(2).is_some_and(|(_, c)| digit(c))
            };
            if signed || self.second_is(digit) {
                self.bump();
                if signed {
                    self.bump();
                }
                self.take_while(digit);
            }
        }
        let end = self.chars.peek().map_or(self.text.len(), |&(i, _)| i);
        let text = &self.text[start..end];
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok((position, Token::Number(v))),
            _ => Err(at(
                position,
                format!("expected a number of at most 1.8e308, not {text}"),
            )),
        }
    }
}

/// Adds an operator or parenthesis to those pending, unless [`MAX_DEPTH`] are already.
fn push(pending: &mut Vec<(Pending, usize)>, item: (Pending, usize)) -> Result<(), Error> {
    if pending.len() >= MAX_DEPTH {
        return Err(Error::new(format!(
            "the formula nests more than {MAX_DEPTH} levels deep"
        )));
    }
    pending.push(item);
    Ok(())
}

fn at(position: usize, message: String) -> Error {
    Error::new(format!("at {position}: {message}"))
}

/// An operator or parenthesis waiting for its right-hand side, and where it was.
#[derive(Clone, Copy, Debug)]
enum Pending {
    /// A binary operation with its precedence.
    Binary(Op, u8),
    /// Unary minus: below ^, above * and /, so −x² = −(x²) and −x·y = (−x)·y.
    Negate,
    Open,
    /// A function's parenthesis, with the arguments begun so far.
    Call(Callee, usize),
}

const NEGATE: u8 = 3;

/// A binary operator's operation, precedence and whether it groups to the right.
fn binary(token: Token) -> Option<(Op, u8, bool)> {
    match token {
        Token::Plus => Some((Op::Add, 1, false)),
        Token::Minus => Some((Op::Sub, 1, false)),
        Token::Times => Some((Op::Mul, 2, false)),
        Token::Divide => Some((Op::Div, 2, false)),
        Token::Power => Some((Op::Pow, 4, true)),
        _ => None,
    }
}

/// "one argument", "two arguments".
fn arguments(n: usize) -> &'static str {
    if n == 1 {
        "one argument"
    } else {
        "two arguments"
    }
}

/// Every name a formula may use, for messages.
fn names() -> String {
    let mut all = vec!["x", "y", "pi", "e"];
    all.extend(FUNCTIONS.iter().map(|(name, _)| *name));
    all.join(", ")
}

/// A name as a message quotes it: at most 24 characters.
fn shown(name: &str) -> String {
    if name.chars().count() > 24 {
        format!("{}…", name.chars().take(24).collect::<String>())
    } else {
        name.to_string()
    }
}

/// Reads `text` into a program, or says where and why it cannot.
pub fn parse(text: &str) -> Result<Program, Error> {
    if text.chars().count() > MAX_LENGTH {
        return Err(Error::new(
            "the formula is longer than 10,000 characters".to_string(),
        ));
    }
    if text.trim().is_empty() {
        return Err(at(
            1,
            "expected a formula in x and y, such as x^2 + y^2".into(),
        ));
    }
    let mut lexer = Lexer::new(text);
    let mut program = Program::new();
    let mut pending: Vec<(Pending, usize)> = Vec::new();
    let mut operand = true;
    loop {
        let (position, token) = lexer.next()?;
        if operand {
            match token {
                Token::Number(v) => program.push(Op::Constant(v)),
                Token::Name(name) => match name {
                    "x" => program.push(Op::X),
                    "y" => program.push(Op::Y),
                    "pi" => program.push(Op::Constant(core::f64::consts::PI)),
                    "e" => program.push(Op::Constant(core::f64::consts::E)),
                    _ => {
                        let Some(&(_, callee)) = FUNCTIONS.iter().find(|(n, _)| *n == name) else {
                            return Err(at(
                                position,
                                format!(
                                    "unknown name '{}'; expected one of {}",
                                    shown(name),
                                    names()
                                ),
                            ));
                        };
                        let (open, next) = lexer.next()?;
                        if next != Token::Open {
                            return Err(at(open, format!("expected '(' after {name}")));
                        }
                        push(&mut pending, (Pending::Call(callee, 1), open))?;
                        continue;
                    }
                },
                Token::Minus => {
                    push(&mut pending, (Pending::Negate, position))?;
                    continue;
                }
                Token::Plus => continue,
                Token::Open => {
                    push(&mut pending, (Pending::Open, position))?;
                    continue;
                }
                _ => return Err(at(position, format!("expected {OPERAND}"))),
            }
            operand = false;
            continue;
        }
        if let Some((op, precedence, right)) = binary(token) {
            while let Some(&(top, _)) = pending.last() {
                let (emit, above) = match top {
                    Pending::Binary(op, p) => (op, p),
                    Pending::Negate => (Op::Neg, NEGATE),
                    Pending::Open | Pending::Call(..) => break,
                };
                if above > precedence || (above == precedence && !right) {
                    program.push(emit);
                    pending.pop();
                } else {
                    break;
                }
            }
            push(&mut pending, (Pending::Binary(op, precedence), position))?;
            operand = true;
            continue;
        }
        // The operand is complete up to the innermost parenthesis.
        let opener = loop {
            match pending.last() {
                Some(&(Pending::Binary(op, _), _)) => program.push(op),
                Some(&(Pending::Negate, _)) => program.push(Op::Neg),
                Some(&(opener, where_)) => break Some((opener, where_)),
                None => break None,
            }
            pending.pop();
        };
        match (token, opener) {
            (Token::End, None) => return Ok(program),
            (Token::Close | Token::Comma, None) => {
                let why = if token == Token::Close {
                    "this ')' closes no '('"
                } else {
                    "',' only separates a function's arguments"
                };
                return Err(at(position, format!("expected end of formula: {why}")));
            }
            (Token::Close, Some((Pending::Open, _))) => {
                pending.pop();
            }
            (Token::Close, Some((Pending::Call(callee, given), _))) => {
                if given < callee.arity() {
                    return Err(at(
                        position,
                        format!(
                            "expected ',': {} takes {}",
                            callee.name(),
                            arguments(callee.arity())
                        ),
                    ));
                }
                program.push(callee.op());
                pending.pop();
            }
            (Token::Comma, Some((Pending::Call(callee, given), where_))) => {
                if given >= callee.arity() {
                    return Err(at(
                        position,
                        format!(
                            "expected ')': {} takes {}",
                            callee.name(),
                            arguments(callee.arity())
                        ),
                    ));
                }
                pending.pop();
                pending.push((Pending::Call(callee, given + 1), where_));
                operand = true;
            }
            (Token::Comma, Some(_)) => {
                return Err(at(
                    position,
                    "expected ')': ',' only separates a function's arguments".into(),
                ))
            }
            (Token::End, Some((Pending::Call(callee, given), _))) if given < callee.arity() => {
                return Err(at(
                    position,
                    format!(
                        "expected ',': {} takes {}",
                        callee.name(),
                        arguments(callee.arity())
                    ),
                ));
            }
            (Token::End, Some((_, where_))) => {
                return Err(at(
                    position,
                    format!("expected ')' to close the '(' at {where_}"),
                ))
            }
            _ => {
                return Err(at(
                    position,
                    "expected an operator such as * (a product is written 2*x, not 2x)".into(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, x: f64, y: f64) -> f64 {
        parse(text).unwrap().value([x, y])
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().0
    }

    #[test]
    fn precedence_and_grouping_are_those_of_maths() {
        assert_eq!(value("-x^2", 3.0, 0.0), -9.0);
        assert_eq!(value("-2^2", 0.0, 0.0), -4.0);
        assert_eq!(value("2^3^2", 0.0, 0.0), 512.0);
        assert_eq!(value("2^-1", 0.0, 0.0), 0.5);
        assert_eq!(value("x^-y^2", 2.0, 1.0), 0.5);
        assert_eq!(value("8/2/2", 0.0, 0.0), 2.0);
        assert_eq!(value("x-y-1", 5.0, 1.0), 3.0);
        assert_eq!(value("2*-x", 3.0, 0.0), -6.0);
        assert_eq!(value("-x*y", 2.0, 3.0), -6.0);
        assert_eq!(value("1+2*3^2", 0.0, 0.0), 19.0);
        assert_eq!(value("+x - -y", 1.0, 2.0), 3.0);
        assert_eq!(value("(1 - x)*(1 + x)", 3.0, 0.0), -8.0);
        assert_eq!(value("atan2(y, x)", -1.0, 0.0), core::f64::consts::PI);
        assert_eq!(value("max(x, y) - min(x, y)", 1.0, 4.0), 3.0);
        assert!(error("2 π").starts_with("at 3: expected an operator"));
        assert_eq!(
            value("2×π − e", 0.0, 0.0),
            2.0 * core::f64::consts::PI - core::f64::consts::E
        );
        assert_eq!(value("3", 1.0, 1.0), 3.0);
    }

    #[test]
    fn numbers_take_any_float_syntax() {
        for (text, v) in [
            ("2", 2.0),
            ("1.5", 1.5),
            (".5", 0.5),
            ("1.", 1.0),
            ("6.02e23", 6.02e23),
            ("1E-3", 1e-3),
            ("1.5e+3", 1500.0),
        ] {
            assert_eq!(value(text, 0.0, 0.0), v, "{text}");
        }
        assert_eq!(
            error("1e999"),
            "at 1: expected a number of at most 1.8e308, not 1e999"
        );
        assert_eq!(
            error("2e"),
            "at 2: expected an operator such as * (a product is written 2*x, not 2x)"
        );
    }

    #[test]
    fn errors_name_the_position_and_what_was_expected() {
        assert_eq!(error("sin(x"), "at 6: expected ')' to close the '(' at 4");
        assert_eq!(error("(1 + x"), "at 7: expected ')' to close the '(' at 1");
        assert_eq!(
            error(""),
            "at 1: expected a formula in x and y, such as x^2 + y^2"
        );
        assert_eq!(error("*x"), format!("at 1: expected {OPERAND}"));
        assert_eq!(error("x +"), format!("at 4: expected {OPERAND}"));
        assert!(error("x + sni(y)")
            .starts_with("at 5: unknown name 'sni'; expected one of x, y, pi, e, sin, cos,"));
        assert!(error("2x").starts_with("at 2: expected an operator"));
        assert!(error("x (y)").starts_with("at 3: expected an operator"));
        assert_eq!(
            error("x^2 + y^2) "),
            "at 10: expected end of formula: this ')' closes no '('"
        );
        assert_eq!(error("sin x"), "at 5: expected '(' after sin");
        assert_eq!(error("sin"), "at 4: expected '(' after sin");
        assert_eq!(
            error("atan2(y)"),
            "at 8: expected ',': atan2 takes two arguments"
        );
        assert_eq!(
            error("atan2(y"),
            "at 8: expected ',': atan2 takes two arguments"
        );
        assert_eq!(
            error("sin(x, y)"),
            "at 6: expected ')': sin takes one argument"
        );
        assert_eq!(
            error("min(x, y, 1)"),
            "at 9: expected ')': min takes two arguments"
        );
        assert_eq!(
            error("(x, y)"),
            "at 3: expected ')': ',' only separates a function's arguments"
        );
        assert_eq!(
            error("x, y"),
            "at 2: expected end of formula: ',' only separates a function's arguments"
        );
        assert_eq!(error("sin()"), format!("at 5: expected {OPERAND}"));
        assert_eq!(
            error("x # y"),
            "at 3: expected a number, a name, an operator or a parenthesis, not '#'"
        );
        assert_eq!(
            error("é"),
            "at 1: expected a number, a name, an operator or a parenthesis, not 'é'"
        );
        // Positions count characters, not bytes.
        assert_eq!(error("π·x +"), format!("at 6: expected {OPERAND}"));
    }

    #[test]
    fn length_and_depth_are_limited() {
        let long = "x+".repeat(5000) + "x";
        assert_eq!(error(&long), "the formula is longer than 10,000 characters");
        let deep = "(".repeat(1000) + "x" + &")".repeat(1000);
        assert_eq!(error(&deep), "the formula nests more than 200 levels deep");
        let towers = "x^".repeat(300) + "x";
        assert_eq!(
            error(&towers),
            "the formula nests more than 200 levels deep"
        );
        let shallow = "(".repeat(150) + "x" + &")".repeat(150);
        assert_eq!(value(&shallow, 2.0, 0.0), 2.0);
    }
}
