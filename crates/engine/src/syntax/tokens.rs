//! Token classes for syntax colouring, from the same Python tokenizer the
//! parser uses: [`classify`] turns a script into `(class, start, end)` ranges
//! in characters. It never panics; input the parser could not take safely
//! (too large, too deeply nested) simply gets no classes.

use rustpython_ruff_python_ast::token::TokenKind;
use rustpython_ruff_python_ast::PySourceType;
use rustpython_ruff_python_parser::parse_unchecked_source;
use rustpython_ruff_text_size::Ranged;

use super::parse::{MAX_INDENT, MAX_LINE_OPERATORS, MAX_NESTING, MAX_SOURCE_BYTES};

/// What a piece of a script is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenClass {
    /// `def`, `if`, `import`, `and`, soft keywords used as keywords, ...
    Keyword,
    /// `True`, `False`, `None`.
    Constant,
    /// A name of a builtin function, type or exception (`print`, `range`, `ValueError`).
    Builtin,
    /// String literals, f-strings' text parts and quotes included.
    String,
    Number,
    Comment,
    /// `+`, `==`, `+=`, `->`, ... (not brackets, commas, colons or dots).
    Operator,
    /// `@name` or `@package.name` before a `def` or `class`.
    Decorator,
    /// The name a `def` or `class` statement defines.
    Definition,
}

impl TokenClass {
    /// A short CSS-friendly name: `keyword`, `builtin`, `def`, ...
    pub fn name(self) -> &'static str {
        match self {
            TokenClass::Keyword => "keyword",
            TokenClass::Constant => "constant",
            TokenClass::Builtin => "builtin",
            TokenClass::String => "string",
            TokenClass::Number => "number",
            TokenClass::Comment => "comment",
            TokenClass::Operator => "operator",
            TokenClass::Decorator => "decorator",
            TokenClass::Definition => "def",
        }
    }
}

/// Builtin names coloured as such (functions, types and exceptions).
const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "callable",
    "chr",
    "classmethod",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "__import__",
    "__name__",
    "__main__",
    "BaseException",
    "Exception",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "EOFError",
    "IndexError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "NameError",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "RecursionError",
    "RuntimeError",
    "StopIteration",
    "SystemExit",
    "TimeoutError",
    "TypeError",
    "ValueError",
    "ZeroDivisionError",
    "BrokenPipeError",
    "ConnectionError",
    "FileNotFoundError",
    "PermissionError",
    "ProcessLookupError",
    "ChildProcessError",
    "InterruptedError",
    "UnicodeError",
    "ImportError",
    "ModuleNotFoundError",
    "GeneratorExit",
    "NotImplemented",
    "Ellipsis",
];

/// Whether the parser could recurse too deeply on `source`. Counts more
/// generously than the engine's own check (brackets and operators inside
/// strings count too), so whatever passes here is safe to parse.
fn too_deep(source: &str) -> bool {
    if source.len() > MAX_SOURCE_BYTES {
        return true;
    }
    let mut depth = 0usize;
    for line in source.split('\n') {
        let mut ops = 0usize;
        for b in line.bytes() {
            match b {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return true;
                    }
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if matches!(
                b,
                b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'~' | b'.' | b'(' | b'[' | b'{' | b'@' | b'='
            ) {
                ops += 1;
            }
        }
        // Words that nest expressions: `not not x`, `a if b else c if ...`, `lambda: lambda: ...`.
        ops += line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| matches!(*w, "not" | "lambda" | "if" | "await" | "yield" | "else"))
            .count();
        if ops > MAX_LINE_OPERATORS {
            return true;
        }
        let indent = line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len();
        if indent > MAX_INDENT * 4 {
            return true;
        }
    }
    false
}

/// The script's tokens that get a colour, as `(class, start, end)` in
/// characters from the start of `source` (end exclusive), in order and not
/// overlapping. Tokens without a class (names, brackets, newlines) are left out.
pub fn classify(source: &str) -> Vec<(TokenClass, usize, usize)> {
    if source.is_empty() || too_deep(source) {
        return Vec::new();
    }
    let parsed = parse_unchecked_source(source, PySourceType::Python);
    let tokens: Vec<(TokenKind, usize, usize)> = parsed
        .tokens()
        .iter()
        .map(|t| (t.kind(), t.range().start().to_usize(), t.range().end().to_usize()))
        .filter(|(_, start, end)| start < end && *end <= source.len())
        .collect();

    // Significant tokens (no comments or non-logical newlines) for looking back.
    let mut out: Vec<(TokenClass, usize, usize)> = Vec::new();
    let mut previous: Option<TokenKind> = None;
    let mut line_start = true;
    let mut i = 0;
    while i < tokens.len() {
        let (kind, start, end) = tokens[i];
        let text = source.get(start..end).unwrap_or("");
        let class = match kind {
            TokenKind::Comment => Some(TokenClass::Comment),
            TokenKind::String
            | TokenKind::FStringStart
            | TokenKind::FStringMiddle
            | TokenKind::FStringEnd
            | TokenKind::TStringStart
            | TokenKind::TStringMiddle
            | TokenKind::TStringEnd => Some(TokenClass::String),
            TokenKind::Int | TokenKind::Float | TokenKind::Complex => Some(TokenClass::Number),
            TokenKind::True | TokenKind::False | TokenKind::None => Some(TokenClass::Constant),
            TokenKind::At if line_start => {
                // A decorator: `@` and the dotted name after it.
                let mut j = i + 1;
                let mut last_end = end;
                let mut want_name = true;
                while let Some(&(next, _, next_end)) = tokens.get(j) {
                    let fits = if want_name {
                        next == TokenKind::Name
                    } else {
                        next == TokenKind::Dot
                    };
                    if !fits {
                        break;
                    }
                    want_name = !want_name;
                    last_end = next_end;
                    j += 1;
                }
                if last_end > end {
                    push(&mut out, TokenClass::Decorator, start, last_end);
                    previous = Some(TokenKind::Name);
                    line_start = false;
                    i = j;
                    continue;
                }
                Some(TokenClass::Operator)
            }
            TokenKind::Name => match previous {
                Some(TokenKind::Def | TokenKind::Class) => Some(TokenClass::Definition),
                Some(TokenKind::Dot) => None,
                _ if BUILTINS.contains(&text) => Some(TokenClass::Builtin),
                _ => None,
            },
            TokenKind::Lpar
            | TokenKind::Rpar
            | TokenKind::Lsqb
            | TokenKind::Rsqb
            | TokenKind::Lbrace
            | TokenKind::Rbrace
            | TokenKind::Comma
            | TokenKind::Colon
            | TokenKind::Semi
            | TokenKind::Dot => None,
            TokenKind::And | TokenKind::Or | TokenKind::Not | TokenKind::In | TokenKind::Is => {
                Some(TokenClass::Keyword)
            }
            k if k.is_operator() => Some(TokenClass::Operator),
            k if k.is_keyword() => Some(TokenClass::Keyword),
            _ => None,
        };
        if let Some(class) = class {
            push(&mut out, class, start, end);
        }
        match kind {
            TokenKind::Comment | TokenKind::NonLogicalNewline => {}
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent => {
                line_start = true;
                previous = Some(kind);
            }
            _ => {
                line_start = false;
                previous = Some(kind);
            }
        }
        i += 1;
    }
    to_chars(source, out)
}

/// Appends a range, skipping any that would overlap the previous one.
fn push(out: &mut Vec<(TokenClass, usize, usize)>, class: TokenClass, start: usize, end: usize) {
    if out.last().is_none_or(|&(_, _, last_end)| last_end <= start) {
        out.push((class, start, end));
    }
}

/// Byte ranges (in order) to character ranges.
fn to_chars(source: &str, ranges: Vec<(TokenClass, usize, usize)>) -> Vec<(TokenClass, usize, usize)> {
    let mut byte = 0usize;
    let mut chars = 0usize;
    let mut advance = |to: usize| -> Option<usize> {
        chars += source.get(byte..to)?.chars().count();
        byte = to;
        Some(chars)
    };
    let mut out = Vec::with_capacity(ranges.len());
    for (class, start, end) in ranges {
        let (Some(s), Some(e)) = (advance(start), advance(end)) else {
            break;
        };
        out.push((class, s, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(class, text)` for each classified range.
    fn classes(source: &str) -> Vec<(TokenClass, String)> {
        let first = classify(source);
        assert_eq!(first, classify(source), "deterministic");
        let chars: Vec<char> = source.chars().collect();
        first
            .into_iter()
            .map(|(c, s, e)| (c, chars[s..e].iter().collect()))
            .collect()
    }

    fn texts_of(source: &str, class: TokenClass) -> Vec<String> {
        classes(source)
            .into_iter()
            .filter(|(c, _)| *c == class)
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn keywords_names_and_definitions() {
        let src = "import threading\n\ndef worker(n):\n    if n is not None and True:\n        return len(n)\n\nclass Job(threading.Thread):\n    pass\n";
        assert_eq!(
            texts_of(src, TokenClass::Keyword),
            ["import", "def", "if", "is", "not", "and", "return", "class", "pass"]
        );
        assert_eq!(texts_of(src, TokenClass::Definition), ["worker", "Job"]);
        assert_eq!(texts_of(src, TokenClass::Constant), ["None", "True"]);
        assert_eq!(texts_of(src, TokenClass::Builtin), ["len"]);
        // `threading.Thread`: an attribute is never a builtin, even if named like one.
        assert_eq!(texts_of("x.print(1)\nprint(2)\n", TokenClass::Builtin), ["print"]);
    }

    #[test]
    fn soft_keywords_used_as_names_are_names() {
        assert!(texts_of("type = 3\nmatch = type\n", TokenClass::Keyword).is_empty());
    }

    #[test]
    fn strings_numbers_comments_and_operators() {
        let src = "x = 'a' + \"b\"  # add\ny = 3.5 ** 2 // 1_000\nx += 1\n";
        assert_eq!(texts_of(src, TokenClass::String), ["'a'", "\"b\""]);
        assert_eq!(texts_of(src, TokenClass::Comment), ["# add"]);
        assert_eq!(texts_of(src, TokenClass::Number), ["3.5", "2", "1_000", "1"]);
        assert_eq!(texts_of(src, TokenClass::Operator), ["=", "+", "=", "**", "//", "+="]);
    }

    #[test]
    fn f_strings_colour_their_text_and_their_expressions_separately() {
        let src = "print(f\"worker {n + 1:>3} done\")\n";
        assert_eq!(
            classes(src),
            vec![
                (TokenClass::Builtin, "print".into()),
                (TokenClass::String, "f\"".into()),
                (TokenClass::String, "worker ".into()),
                (TokenClass::Operator, "+".into()),
                (TokenClass::Number, "1".into()),
                (TokenClass::String, ">3".into()),
                (TokenClass::String, " done".into()),
                (TokenClass::String, "\"".into()),
            ]
        );
    }

    #[test]
    fn a_multi_line_string_is_one_range() {
        let src = "s = \"\"\"one\ntwo\n\"\"\"\nx = 1\n";
        assert_eq!(texts_of(src, TokenClass::String), ["\"\"\"one\ntwo\n\"\"\""]);
        assert_eq!(texts_of(src, TokenClass::Number), ["1"]);
    }

    #[test]
    fn decorators_cover_the_dotted_name() {
        let src = "@functools.wraps\n@staticmethod\ndef f(): pass\nx = a @ b\n";
        assert_eq!(
            texts_of(src, TokenClass::Decorator),
            ["@functools.wraps", "@staticmethod"]
        );
        assert_eq!(texts_of(src, TokenClass::Operator), ["=", "@"]);
    }

    #[test]
    fn ranges_count_characters_not_bytes() {
        let src = "s = 'héllo'  # ünïcode\nn = 1\n";
        let ranges = classify(src);
        let chars: Vec<char> = src.chars().collect();
        let number = ranges.iter().find(|r| r.0 == TokenClass::Number).unwrap();
        assert_eq!(chars[number.1..number.2].iter().collect::<String>(), "1");
        assert_eq!(texts_of(src, TokenClass::Comment), ["# ünïcode"]);
    }

    #[test]
    fn invalid_scripts_still_get_classes() {
        let src = "def f(:\n    return 'x'\nasync def g(): pass\n";
        assert!(texts_of(src, TokenClass::Keyword).contains(&"return".to_string()));
        assert!(texts_of(src, TokenClass::Keyword).contains(&"async".to_string()));
        assert_eq!(texts_of(src, TokenClass::String), ["'x'"]);
        assert_eq!(texts_of("s = 'unterminated\nx = 1\n", TokenClass::Number), ["1"]);
    }

    #[test]
    fn input_too_deep_to_parse_gets_no_classes() {
        assert!(classify(&"(".repeat(100_000)).is_empty());
        assert!(classify(&format!("x = {}1\n", "not ".repeat(50_000))).is_empty());
        assert!(classify(&format!("x = {}1\n", "-".repeat(50_000))).is_empty());
        assert!(classify(&"x".repeat(MAX_SOURCE_BYTES + 1)).is_empty());
    }

    #[test]
    fn garbage_never_panics_and_ranges_stay_in_order() {
        const PIECES: &[&str] = &[
            "def", " ", "\n", "    ", "\t", "(", ")", "[", "]", "{", "}", "'", "\"", "\"\"\"", "f'", "{x", "}", ":",
            "#", "@", "é", "\\", "\r", "0x", "1e", "_", "async", "match", "case", "lambda", "\u{feff}", "\0", "rb'",
            "t'", "!r", "=", "...", "if", "else", "→", "\u{2028}",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut source = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 60) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                source.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            let ranges = classify(&source);
            let total = source.chars().count();
            let mut last = 0;
            for (_, start, end) in ranges {
                assert!(last <= start && start < end && end <= total, "{source:?}");
                last = end;
            }
        }
    }
}
