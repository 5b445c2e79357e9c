//! `str.format` and `str.format_map`: replacement fields with automatic or
//! manual numbering, attribute and item lookups, conversions, nested specs,
//! and a class's own `__format__`.

use std::rc::Rc;

use crate::types::{self, repr_of, str_of, type_name};
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;
use super::unicode::*;

/// Automatic (`{}`) versus manual (`{0}`) field numbering within one `format` call.
enum Numbering {
    Unset,
    Auto(usize),
    Manual,
}

/// Where named fields come from: `format`'s keyword arguments or `format_map`'s mapping.
enum Named<'a> {
    Kw(&'a [(Rc<String>, Value)]),
    Map(Value),
}

struct FormatCtx<'a> {
    args: &'a [Value],
    named: Named<'a>,
    numbering: Numbering,
}

/// A field number: decimal digits (of any script), as CPython reads them.
fn field_number(s: &str) -> Result<Option<usize>, Raise> {
    if s.is_empty() {
        return Ok(None);
    }
    let mut n: usize = 0;
    for c in s.chars() {
        let Some(d) = decimal_value(c) else {
            return Ok(None);
        };
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(d as usize))
            .ok_or_else(|| value_error("Too many decimal digits in format string"))?;
    }
    Ok(Some(n))
}

/// One replacement field as written: name, conversion, spec, and where the text continues.
struct Field<'a> {
    name: &'a str,
    conversion: Option<char>,
    spec: &'a str,
    next: usize,
}

/// Parses the field starting at byte `i` (just after its `{`).
fn parse_field(fmt: &str, mut i: usize) -> Result<Field<'_>, Raise> {
    let b = fmt.as_bytes();
    let name_start = i;
    let mut term = None;
    while i < b.len() {
        let c = b[i];
        i += 1;
        match c {
            b'{' => return Err(value_error("unexpected '{' in field name")),
            b'[' => {
                while i < b.len() && b[i] != b']' {
                    i += 1;
                }
            }
            b'}' | b':' | b'!' => {
                term = Some(c);
                break;
            }
            _ => {}
        }
    }
    let Some(last) = term else {
        return Err(value_error("expected '}' before end of string"));
    };
    let name = &fmt[name_start..i - 1];
    if last == b'}' {
        return Ok(Field {
            name,
            conversion: None,
            spec: "",
            next: i,
        });
    }
    let mut conversion = None;
    if last == b'!' {
        let Some(c) = fmt[i..].chars().next() else {
            return Err(value_error("end of string while looking for conversion specifier"));
        };
        conversion = Some(c);
        i += c.len_utf8();
        if i < b.len() {
            let c2 = b[i];
            i += 1;
            if c2 == b'}' {
                return Ok(Field {
                    name,
                    conversion,
                    spec: "",
                    next: i,
                });
            }
            if c2 != b':' {
                return Err(value_error("expected ':' after conversion specifier"));
            }
        }
    }
    let spec_start = i;
    let mut depth = 1;
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c == b'{' {
            depth += 1;
        } else if c == b'}' {
            depth -= 1;
            if depth == 0 {
                return Ok(Field {
                    name,
                    conversion,
                    spec: &fmt[spec_start..i - 1],
                    next: i,
                });
            }
        }
    }
    Err(value_error("unmatched '{' in format spec"))
}

/// The object a field names: an argument, then attributes and items (`0.name[1]`).
fn field_value(w: &mut World, t: Tid, name: &str, cx: &mut FormatCtx) -> Result<Value, Raise> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let first = &name[..first_end];
    let index = if first.is_empty() {
        let n = match cx.numbering {
            Numbering::Manual => {
                return Err(value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ))
            }
            Numbering::Unset => 0,
            Numbering::Auto(n) => n,
        };
        cx.numbering = Numbering::Auto(n + 1);
        Some(n)
    } else if let Some(n) = field_number(first)? {
        if let Numbering::Auto(_) = cx.numbering {
            return Err(value_error(
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        cx.numbering = Numbering::Manual;
        Some(n)
    } else {
        None
    };
    let mut v = match index {
        Some(_) if matches!(cx.named, Named::Map(_)) => {
            return Err(value_error("Format string contains positional fields"));
        }
        Some(n) => match cx.args.get(n) {
            Some(v) => v.clone(),
            None => {
                return Err(Raise::new(
                    Exc::IndexError,
                    format!("Replacement index {n} out of range for positional args tuple"),
                ))
            }
        },
        None => match &cx.named {
            Named::Kw(kw) => match kw.iter().find(|(k, _)| k.as_str() == first) {
                Some((_, v)) => v.clone(),
                None => return Err(key_error(w, t, Value::str(first))),
            },
            Named::Map(m) => {
                let m = m.clone();
                subscript(w, t, &m, &Value::str(first))?
            }
        },
    };
    let rest = &name[first_end..];
    let rb = rest.as_bytes();
    let mut i = 0;
    while i < rb.len() {
        match rb[i] {
            b'.' => {
                i += 1;
                let s = i;
                while i < rb.len() && rb[i] != b'.' && rb[i] != b'[' {
                    i += 1;
                }
                if i == s {
                    return Err(value_error("Empty attribute in format string"));
                }
                v = w.getattr(t, &v, &rest[s..i])?;
            }
            b'[' => {
                i += 1;
                let s = i;
                while i < rb.len() && rb[i] != b']' {
                    i += 1;
                }
                if i >= rb.len() {
                    return Err(value_error("Missing ']' in format string"));
                }
                let key = &rest[s..i];
                i += 1;
                if key.is_empty() {
                    return Err(value_error("Empty attribute in format string"));
                }
                let k = match field_number(key)? {
                    Some(n) => Value::Int(n as i64),
                    None => Value::str(key),
                };
                v = subscript(w, t, &v, &k)?;
            }
            _ => return Err(value_error("Only '.' or '[' may follow ']' in format field specifier")),
        }
    }
    Ok(v)
}

/// `format(v, spec)`, with a class's own `__format__` when it defines one (an
/// instance without one only takes the empty spec, as `object.__format__`).
fn format_one(w: &mut World, t: Tid, v: &Value, spec: &str) -> Result<String, Raise> {
    if let Value::Obj(id) = v {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            match w.class_lookup(t, c, "__format__") {
                Some(f) if !matches!(f, Value::Native(_)) => {
                    let args = Args::new(vec![v.clone(), Value::str(spec)]);
                    return match w.call_sync(t, f, args)? {
                        Value::Str(s) => Ok(s.to_string()),
                        other => {
                            let tn = type_name(w, t, &other);
                            Err(type_error(format!("__format__ must return a str, not {tn}")))
                        }
                    };
                }
                _ if !spec.is_empty() => {
                    let tn = type_name(w, t, v);
                    return Err(type_error(format!(
                        "unsupported format string passed to {tn}.__format__"
                    )));
                }
                _ => {}
            }
        }
    }
    types::format_value(w, t, v, spec)
}

/// Renders `fmt`; `depth` bounds the nesting of fields inside format specs.
fn render(w: &mut World, t: Tid, fmt: &str, cx: &mut FormatCtx, depth: u32) -> Result<String, Raise> {
    if depth == 0 {
        return Err(value_error("Max string recursion exceeded"));
    }
    let b = fmt.as_bytes();
    let mut out = String::with_capacity(fmt.len());
    let mut i = 0;
    while i < b.len() {
        let lit = i;
        while i < b.len() && b[i] != b'{' && b[i] != b'}' {
            i += 1;
        }
        out.push_str(&fmt[lit..i]);
        if i >= b.len() {
            break;
        }
        let brace = b[i];
        i += 1;
        if i < b.len() && b[i] == brace {
            out.push(brace as char);
            i += 1;
            continue;
        }
        if brace == b'}' {
            return Err(value_error("Single '}' encountered in format string"));
        }
        if i >= b.len() {
            return Err(value_error("Single '{' encountered in format string"));
        }
        let field = parse_field(fmt, i)?;
        i = field.next;
        let v = field_value(w, t, field.name, cx)?;
        let v = match field.conversion {
            None => v,
            Some('r') => Value::str(repr_of(w, t, &v)?),
            Some('s') => Value::str(str_of(w, t, &v)?),
            Some('a') => Value::str(ascii_escape(&repr_of(w, t, &v)?)),
            Some(c) if (c as u32) > 32 && (c as u32) < 127 => {
                return Err(value_error(format!("Unknown conversion specifier {c}")))
            }
            Some(c) => return Err(value_error(format!("Unknown conversion specifier \\x{:x}", c as u32))),
        };
        let spec = if field.spec.contains('{') {
            render(w, t, field.spec, cx, depth - 1)?
        } else {
            field.spec.to_string()
        };
        out.push_str(&format_one(w, t, &v, &spec)?);
    }
    Ok(out)
}

pub(super) fn s_format(w: &mut World, t: Tid, a: Args) -> NResult {
    let fmt = this_str(w, t, &a, "format")?;
    let mut cx = FormatCtx {
        args: &a.pos[1..],
        named: Named::Kw(&a.kw),
        numbering: Numbering::Unset,
    };
    let out = render(w, t, &fmt, &mut cx, 2)?;
    ret(Value::str(out))
}

pub(super) fn s_format_map(w: &mut World, t: Tid, a: Args) -> NResult {
    let fmt = this_str(w, t, &a, "format_map")?;
    let mapping = one_arg(&a, "str", "format_map")?;
    let mut cx = FormatCtx {
        args: &[],
        named: Named::Map(mapping),
        numbering: Numbering::Unset,
    };
    let out = render(w, t, &fmt, &mut cx, 2)?;
    ret(Value::str(out))
}
