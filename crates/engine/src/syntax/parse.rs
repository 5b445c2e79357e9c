//! Parse: source text → Python AST, with a real Python parser.
//!
//! Syntax errors become [`Diagnostic`]s worded like CPython's where the parser's
//! message has a CPython equivalent. Input nested deeper than CPython's own
//! limit is refused before parsing, so no input can exhaust the stack.
//!
//! Entry point: [`parse`].

use rustpython_ruff_python_ast::ModModule;
use rustpython_ruff_python_parser as parser;
use rustpython_ruff_text_size::TextRange;

use crate::trace::{Diagnostic, DiagnosticKind, Severity};

/// Brackets nested deeper than this are refused (CPython's parser stops at 200).
pub const MAX_NESTING: usize = 200;
/// Operators on one line beyond this are refused: chains nest like brackets.
pub const MAX_LINE_OPERATORS: usize = 400;
/// Indentation levels deeper than this are refused (CPython: 100).
pub const MAX_INDENT: usize = 100;
/// Scripts larger than this are refused.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// Maps byte offsets to 1-based lines and character columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
    source: String,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i as u32 + 1);
            }
        }
        LineIndex {
            starts,
            source: source.to_string(),
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: u32) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// 1-based character column of a byte offset.
    pub fn col(&self, offset: u32) -> u32 {
        let line = self.line(offset);
        let start = self.starts[(line - 1) as usize] as usize;
        let end = (offset as usize).min(self.source.len());
        let text = self.source.get(start..end).unwrap_or("");
        text.chars().count() as u32 + 1
    }

    pub fn slice(&self, range: TextRange) -> &str {
        let s = range.start().to_usize().min(self.source.len());
        let e = range.end().to_usize().min(self.source.len());
        self.source.get(s..e).unwrap_or("")
    }

    pub fn diagnostic(&self, kind: DiagnosticKind, range: TextRange, message: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            kind,
            message,
            line: self.line(range.start().to_u32()),
            col: self.col(range.start().to_u32()),
            end_line: self.line(range.end().to_u32()),
            end_col: self.col(range.end().to_u32()),
        }
    }
}

/// Parse a module. Returns the AST or every syntax error found.
pub fn parse(source: &str) -> Result<(ModModule, LineIndex), Vec<Diagnostic>> {
    let index = LineIndex::new(source);
    if source.len() > MAX_SOURCE_BYTES {
        return Err(vec![index.diagnostic(
            DiagnosticKind::Limit,
            TextRange::default(),
            format!(
                "the script is {} bytes; the simulator accepts up to {} bytes",
                source.len(),
                MAX_SOURCE_BYTES
            ),
        )]);
    }
    if let Some(d) = nesting_limit(source, &index) {
        return Err(vec![d]);
    }
    match parser::parse_module(source) {
        Ok(parsed) => Ok((parsed.into_syntax(), index)),
        Err(e) => Err(vec![index.diagnostic(
            DiagnosticKind::Syntax,
            e.location,
            cpython_message(&e.error.to_string()),
        )]),
    }
}

/// Refuses input whose bracket nesting or indentation would be too deep to parse safely.
fn nesting_limit(source: &str, index: &LineIndex) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut ops = 0usize;
    let mut quote: Option<u8> = None;
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q || b == b'\n' {
                    quote = None;
                }
            }
            None => match b {
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'\'' | b'"' => quote = Some(b),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        let at = rustpython_ruff_text_size::TextSize::new(i as u32);
                        return Some(index.diagnostic(
                            DiagnosticKind::Limit,
                            TextRange::new(at, at),
                            "too many nested parentheses".to_string(),
                        ));
                    }
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b'\n' => ops = 0,
                _ => {}
            },
        }
        // Long operator chains nest as deeply as brackets do (`-1`, `a.b.c`, `1+1+...`).
        if quote.is_none()
            && (matches!(
                b,
                b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'~' | b'.' | b'(' | b'[' | b'@'
            ) || bytes[i..].starts_with(b"lambda"))
        {
            ops += 1;
            if ops > MAX_LINE_OPERATORS {
                let at = rustpython_ruff_text_size::TextSize::new(i as u32);
                return Some(index.diagnostic(
                    DiagnosticKind::Limit,
                    TextRange::new(at, at),
                    format!("expression too complex: more than {MAX_LINE_OPERATORS} operators on one line"),
                ));
            }
        }
        i += 1;
    }
    let mut offset = 0u32;
    for line in source.split('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if indent > MAX_INDENT * 4 && !line.trim().is_empty() {
            let at = rustpython_ruff_text_size::TextSize::new(offset);
            return Some(index.diagnostic(
                DiagnosticKind::Limit,
                TextRange::new(at, at),
                "too many levels of indentation".into(),
            ));
        }
        offset += line.len() as u32 + 1;
    }
    None
}

/// Rewords the parser's messages the way CPython words the same errors.
fn cpython_message(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("Expected ") {
        if let Some((expected, _found)) = rest.split_once(", found ") {
            let e = expected.trim_matches('\'').trim_matches('`');
            return match e {
                "an indented block" => "expected an indented block".to_string(),
                "an expression" => "invalid syntax".to_string(),
                "newline" => "invalid syntax".to_string(),
                e if e.chars().count() <= 2 => format!("expected '{e}'"),
                _ => format!("invalid syntax (expected {expected})"),
            };
        }
    }
    if msg.contains("indent") && msg.to_lowercase().contains("unexpected") {
        return "unexpected indent".to_string();
    }
    if msg.contains("unindent") || msg.contains("Unindent") {
        return "unindent does not match any outer indentation level".to_string();
    }
    if msg.contains("missing closing quote") || msg.contains("unterminated") {
        return "unterminated string literal".to_string();
    }
    msg.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_has_cpython_position() {
        let err = parse("x = 1\nif x\n    pass\n").unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, 2);
        assert_eq!(err[0].message, "expected ':'");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let src = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
        let err = parse(&src).unwrap_err();
        assert_eq!(err[0].message, "too many nested parentheses");
        assert_eq!(err[0].kind, DiagnosticKind::Limit);
    }

    #[test]
    fn long_operator_chains_are_refused_before_parsing() {
        for src in [
            format!("x = {}1\n", "-".repeat(100_000)),
            format!("x = {}1\n", "1+".repeat(100_000)),
            "lambda: ".repeat(50_000),
        ] {
            let err = parse(&src).unwrap_err();
            assert_eq!(err[0].kind, DiagnosticKind::Limit, "{}", err[0].message);
        }
    }

    #[test]
    fn columns_count_characters() {
        let idx = LineIndex::new("é = 1\nab\n");
        assert_eq!(idx.col(2), 2);
        assert_eq!(idx.col(3), 3);
        assert_eq!(idx.line(7), 2);
    }
}
