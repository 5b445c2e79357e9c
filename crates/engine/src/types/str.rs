//! Methods of `str` (all but `format` and `format_map`, in `str_format`).
//! Strings are indexed by code point, as in Python.

use std::rc::Rc;

use crate::types::{native, truthy, type_name};
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;
use super::str_format::{s_format, s_format_map};
use super::unicode::*;

/// The receiver of a `str` method that takes no arguments.
fn str0(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<Rc<String>, Raise> {
    let s = this_str(w, t, a, meth)?;
    no_args(a, "str", meth)?;
    Ok(s)
}

fn s_upper(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "upper")?;
    ret(Value::str(s.to_uppercase()))
}

fn s_lower(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "lower")?;
    ret(Value::str(s.to_lowercase()))
}

fn s_casefold(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "casefold")?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_casefold(&mut out, c);
    }
    ret(Value::str(out))
}

fn s_swapcase(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "swapcase")?;
    let mut out = String::with_capacity(s.len());
    for (c, lower) in s.chars().zip(lower_each(&s)) {
        if c.is_uppercase() {
            out.push_str(&lower);
        } else if c.is_lowercase() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    ret(Value::str(out))
}

fn s_title(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "title")?;
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for (c, lower) in s.chars().zip(lower_each(&s)) {
        if prev_cased {
            out.push_str(&lower);
        } else {
            push_title(&mut out, c);
        }
        prev_cased = is_cased(c);
    }
    ret(Value::str(out))
}

fn s_capitalize(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "capitalize")?;
    let mut out = String::with_capacity(s.len());
    for (i, (c, lower)) in s.chars().zip(lower_each(&s)).enumerate() {
        if i == 0 {
            push_title(&mut out, c);
        } else {
            out.push_str(&lower);
        }
    }
    ret(Value::str(out))
}

/// `str.isX()`: true when the string is non-empty and every character passes.
fn all_chars(w: &mut World, t: Tid, a: &Args, meth: &str, pred: fn(char) -> bool) -> NResult {
    let s = str0(w, t, a, meth)?;
    ret(Value::Bool(!s.is_empty() && s.chars().all(pred)))
}

fn s_isdigit(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isdigit", py_digit)
}

fn s_isdecimal(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isdecimal", py_decimal)
}

fn s_isnumeric(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isnumeric", py_numeric)
}

fn s_isalpha(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isalpha", py_alpha)
}

fn s_isalnum(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isalnum", |c| py_alpha(c) || py_numeric(c))
}

fn s_isspace(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isspace", py_space)
}

fn s_isascii(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "isascii")?;
    ret(Value::Bool(s.is_ascii()))
}

fn s_isprintable(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "isprintable")?;
    ret(Value::Bool(s.chars().all(printable)))
}

fn s_isupper(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "isupper")?;
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return ret(Value::Bool(false));
        }
        cased |= c.is_uppercase();
    }
    ret(Value::Bool(cased))
}

fn s_islower(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "islower")?;
    let mut cased = false;
    for c in s.chars() {
        if c.is_uppercase() || is_titlecase(c) {
            return ret(Value::Bool(false));
        }
        cased |= c.is_lowercase();
    }
    ret(Value::Bool(cased))
}

fn s_istitle(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "istitle")?;
    let (mut cased, mut prev_cased) = (false, false);
    for c in s.chars() {
        if c.is_uppercase() || is_titlecase(c) {
            if prev_cased {
                return ret(Value::Bool(false));
            }
            prev_cased = true;
            cased = true;
        } else if c.is_lowercase() {
            if !prev_cased {
                return ret(Value::Bool(false));
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    ret(Value::Bool(cased))
}

fn s_isidentifier(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "isidentifier")?;
    let mut cs = s.chars();
    let ok = match cs.next() {
        Some(first) => ident_start(first) && cs.all(ident_continue),
        None => false,
    };
    ret(Value::Bool(ok))
}

// ---------------------------------------------------------------------------------------------
// str: stripping, splitting, joining

fn strip(w: &mut World, t: Tid, a: Args, meth: &str, left: bool, right: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let args = pos_args(&a, "str", meth, 0, 1)?;
    let set: Option<Vec<char>> = match args.first() {
        None | Some(Value::None) => None,
        Some(Value::Str(c)) => Some(c.chars().collect()),
        Some(_) => return Err(type_error(format!("{meth} arg must be None or str"))),
    };
    let strip_char = |c: char| match &set {
        None => py_space(c),
        Some(set) => set.contains(&c),
    };
    let mut r: &str = &s;
    if left {
        r = r.trim_start_matches(strip_char);
    }
    if right {
        r = r.trim_end_matches(strip_char);
    }
    ret(Value::str(r))
}

fn s_strip(w: &mut World, t: Tid, a: Args) -> NResult {
    strip(w, t, a, "strip", true, true)
}

fn s_lstrip(w: &mut World, t: Tid, a: Args) -> NResult {
    strip(w, t, a, "lstrip", true, false)
}

fn s_rstrip(w: &mut World, t: Tid, a: Args) -> NResult {
    strip(w, t, a, "rstrip", false, true)
}

/// `split()`/`rsplit()` without a separator: runs of whitespace separate words;
/// after `maxsplit` splits the rest is one word (its far end unstripped).
fn split_whitespace(s: &str, maxsplit: i64, from_right: bool) -> Vec<String> {
    let cs: Vec<char> = if from_right {
        s.chars().rev().collect()
    } else {
        s.chars().collect()
    };
    let (n, mut left, mut i) = (cs.len(), maxsplit, 0);
    let mut out: Vec<String> = Vec::new();
    loop {
        while i < n && py_space(cs[i]) {
            i += 1;
        }
        if i >= n {
            break;
        }
        if left == 0 {
            out.push(cs[i..].iter().collect());
            break;
        }
        let j = i;
        while i < n && !py_space(cs[i]) {
            i += 1;
        }
        out.push(cs[j..i].iter().collect());
        if left > 0 {
            left -= 1;
        }
    }
    if from_right {
        out.reverse();
        for word in out.iter_mut() {
            *word = word.chars().rev().collect();
        }
    }
    out
}

fn split(w: &mut World, t: Tid, a: Args, meth: &str, from_right: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let p = kw_args(&a, meth, &["sep", "maxsplit"], 0, 0, 2)?;
    let maxsplit = match &p[1] {
        None => -1,
        Some(v) => as_index(w, t, v)?,
    };
    let parts: Vec<String> = match &p[0] {
        None | Some(Value::None) => split_whitespace(&s, maxsplit, from_right),
        Some(Value::Str(sep)) => {
            if sep.is_empty() {
                return Err(value_error("empty separator"));
            }
            let sep = sep.as_str();
            match (maxsplit < 0, from_right) {
                (true, false) => s.split(sep).map(String::from).collect(),
                (true, true) => {
                    let mut v: Vec<String> = s.rsplit(sep).map(String::from).collect();
                    v.reverse();
                    v
                }
                (false, false) => s
                    .splitn(maxsplit.saturating_add(1) as usize, sep)
                    .map(String::from)
                    .collect(),
                (false, true) => {
                    let mut v: Vec<String> = s
                        .rsplitn(maxsplit.saturating_add(1) as usize, sep)
                        .map(String::from)
                        .collect();
                    v.reverse();
                    v
                }
            }
        }
        Some(v) => {
            let tn = type_name(w, t, v);
            return Err(type_error(format!("must be str or None, not {tn}")));
        }
    };
    str_list(w, t, parts)
}

fn s_split(w: &mut World, t: Tid, a: Args) -> NResult {
    split(w, t, a, "split", false)
}

fn s_rsplit(w: &mut World, t: Tid, a: Args) -> NResult {
    split(w, t, a, "rsplit", true)
}

fn s_splitlines(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = this_str(w, t, &a, "splitlines")?;
    let p = kw_args(&a, "splitlines", &["keepends"], 0, 0, 1)?;
    let keepends = match &p[0] {
        Some(v) => truthy(w, t, v)?,
        None => false,
    };
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < cs.len() {
        let brk = match cs[i] {
            '\r' if cs.get(i + 1) == Some(&'\n') => 2,
            '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}' => 1,
            _ => 0,
        };
        if brk == 0 {
            i += 1;
            continue;
        }
        let end = if keepends { i + brk } else { i };
        out.push(cs[start..end].iter().collect());
        i += brk;
        start = i;
    }
    if start < cs.len() {
        out.push(cs[start..].iter().collect());
    }
    str_list(w, t, out)
}

fn s_join(w: &mut World, t: Tid, a: Args) -> NResult {
    let sep = this_str(w, t, &a, "join")?;
    let it = one_arg(&a, "str", "join")?;
    let items = match iterate(w, t, &it) {
        Ok(v) => v,
        Err(Raise::New(Exc::TypeError, m)) if m.ends_with("is not iterable") => {
            return Err(type_error("can only join an iterable"))
        }
        Err(e) => return Err(e),
    };
    let mut out = String::new();
    for (i, v) in items.iter().enumerate() {
        match v {
            Value::Str(s) => {
                if i > 0 {
                    out.push_str(&sep);
                }
                out.push_str(s);
            }
            other => {
                let tn = type_name(w, t, other);
                return Err(type_error(format!(
                    "sequence item {i}: expected str instance, {tn} found"
                )));
            }
        }
    }
    ret(Value::str(out))
}

// ---------------------------------------------------------------------------------------------
// str: searching and replacing

/// A `str` argument; `what` names it in the error (`replace() argument 1`).
fn str_arg(w: &mut World, t: Tid, v: &Value, what: &str) -> Result<Rc<String>, Raise> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        other => {
            let tn = type_name(w, t, other);
            // Argument-clinic messages call None by name; the others by its type.
            if what.is_empty() {
                Err(type_error(format!("must be str, not {tn}")))
            } else if other.is_none() {
                Err(type_error(format!("{what} must be str, not None")))
            } else {
                Err(type_error(format!("{what} must be str, not {tn}")))
            }
        }
    }
}

/// Receiver, substring and adjusted bounds of `find`/`index`/`count` and their `r` forms.
fn search_args(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<(Vec<char>, Vec<char>, i64, i64), Raise> {
    let s = this_str(w, t, a, meth)?;
    let args = pos_args(a, "str", meth, 1, 3)?;
    let sub = str_arg(w, t, &args[0], &format!("{meth}() argument 1"))?;
    let start = slice_bound(args.get(1), true)?;
    let end = slice_bound(args.get(2), true)?;
    let hay: Vec<char> = s.chars().collect();
    let (start, end) = adjust(start, end, hay.len());
    Ok((hay, sub.chars().collect(), start, end))
}

fn find_in(hay: &[char], sub: &[char], start: i64, end: i64, from_right: bool) -> Option<usize> {
    let n = sub.len();
    if end - start < n as i64 {
        return None;
    }
    let (start, end) = (start as usize, end as usize);
    if n == 0 {
        return Some(if from_right { end } else { start });
    }
    let matches_at = |i: &usize| hay[*i..*i + n] == *sub;
    if from_right {
        (start..=end - n).rev().find(matches_at)
    } else {
        (start..=end - n).find(matches_at)
    }
}

fn find(w: &mut World, t: Tid, a: Args, meth: &str, from_right: bool, raise: bool) -> NResult {
    let (hay, sub, start, end) = search_args(w, t, &a, meth)?;
    match find_in(&hay, &sub, start, end, from_right) {
        Some(i) => ret(Value::Int(i as i64)),
        None if raise => Err(value_error("substring not found")),
        None => ret(Value::Int(-1)),
    }
}

fn s_find(w: &mut World, t: Tid, a: Args) -> NResult {
    find(w, t, a, "find", false, false)
}

fn s_rfind(w: &mut World, t: Tid, a: Args) -> NResult {
    find(w, t, a, "rfind", true, false)
}

fn s_index(w: &mut World, t: Tid, a: Args) -> NResult {
    find(w, t, a, "index", false, true)
}

fn s_rindex(w: &mut World, t: Tid, a: Args) -> NResult {
    find(w, t, a, "rindex", true, true)
}

fn s_count(w: &mut World, t: Tid, a: Args) -> NResult {
    let (hay, sub, start, end) = search_args(w, t, &a, "count")?;
    let n = sub.len();
    if end - start < n as i64 {
        return ret(Value::Int(0));
    }
    if n == 0 {
        return ret(Value::Int(end - start + 1));
    }
    let (mut i, end, mut count) = (start as usize, end as usize, 0);
    while i + n <= end {
        if hay[i..i + n] == *sub {
            count += 1;
            i += n;
        } else {
            i += 1;
        }
    }
    ret(Value::Int(count))
}

fn s_replace(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = this_str(w, t, &a, "replace")?;
    let p = kw_args(&a, "replace", &["old", "new", "count"], 2, 2, 3)?;
    let (old, new) = (p[0].clone().unwrap_or(Value::None), p[1].clone().unwrap_or(Value::None));
    let old = str_arg(w, t, &old, "replace() argument 1")?;
    let new = str_arg(w, t, &new, "replace() argument 2")?;
    let count = match &p[2] {
        Some(v) => as_index(w, t, v)?,
        None => -1,
    };
    let out = if count < 0 {
        s.replace(old.as_str(), &new)
    } else {
        s.replacen(old.as_str(), &new, count as usize)
    };
    ret(Value::str(out))
}

/// Does `cs[start..end]` start (or end) with `p`? Bounds already adjusted.
fn tailmatch(cs: &[char], p: &[char], start: i64, end: i64, suffix: bool) -> bool {
    let n = p.len() as i64;
    let last = end - n;
    if last < start {
        return false;
    }
    let at = if suffix { last } else { start } as usize;
    cs[at..at + p.len()] == *p
}

fn affix(w: &mut World, t: Tid, a: Args, meth: &str, suffix: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let args = pos_args(&a, "str", meth, 1, 3)?;
    let start = slice_bound(args.get(1), true)?;
    let end = slice_bound(args.get(2), true)?;
    let cs: Vec<char> = s.chars().collect();
    let (start, end) = adjust(start, end, cs.len());
    match &args[0] {
        Value::Str(p) => ret(Value::Bool(tailmatch(
            &cs,
            &p.chars().collect::<Vec<_>>(),
            start,
            end,
            suffix,
        ))),
        Value::Tuple(items) => {
            for it in items.iter() {
                let Value::Str(p) = it else {
                    let tn = type_name(w, t, it);
                    return Err(type_error(format!("tuple for {meth} must only contain str, not {tn}")));
                };
                if tailmatch(&cs, &p.chars().collect::<Vec<_>>(), start, end, suffix) {
                    return ret(Value::Bool(true));
                }
            }
            ret(Value::Bool(false))
        }
        other => {
            let tn = type_name(w, t, other);
            Err(type_error(format!(
                "{meth} first arg must be str or a tuple of str, not {tn}"
            )))
        }
    }
}

fn s_startswith(w: &mut World, t: Tid, a: Args) -> NResult {
    affix(w, t, a, "startswith", false)
}

fn s_endswith(w: &mut World, t: Tid, a: Args) -> NResult {
    affix(w, t, a, "endswith", true)
}

fn partition(w: &mut World, t: Tid, a: Args, meth: &str, from_right: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let sep = one_arg(&a, "str", meth)?;
    let sep = str_arg(w, t, &sep, "")?;
    if sep.is_empty() {
        return Err(value_error("empty separator"));
    }
    let found = if from_right {
        s.rfind(sep.as_str())
    } else {
        s.find(sep.as_str())
    };
    let parts = match found {
        Some(i) => [&s[..i], sep.as_str(), &s[i + sep.len()..]],
        None if from_right => ["", "", s.as_str()],
        None => [s.as_str(), "", ""],
    };
    ret(Value::tuple(parts.iter().map(|p| Value::str(*p)).collect()))
}

fn s_partition(w: &mut World, t: Tid, a: Args) -> NResult {
    partition(w, t, a, "partition", false)
}

fn s_rpartition(w: &mut World, t: Tid, a: Args) -> NResult {
    partition(w, t, a, "rpartition", true)
}

fn remove_affix(w: &mut World, t: Tid, a: Args, meth: &str, suffix: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let p = one_arg(&a, "str", meth)?;
    let p = str_arg(w, t, &p, &format!("{meth}() argument"))?;
    let r = if suffix {
        s.strip_suffix(p.as_str())
    } else {
        s.strip_prefix(p.as_str())
    };
    match r {
        Some(r) => ret(Value::str(r)),
        None => ret(Value::Str(s)),
    }
}

fn s_removeprefix(w: &mut World, t: Tid, a: Args) -> NResult {
    remove_affix(w, t, a, "removeprefix", false)
}

fn s_removesuffix(w: &mut World, t: Tid, a: Args) -> NResult {
    remove_affix(w, t, a, "removesuffix", true)
}

// ---------------------------------------------------------------------------------------------
// str: padding

/// Receiver, width and fill character of `center`/`ljust`/`rjust`.
fn pad_args(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<(Rc<String>, usize, usize, char), Raise> {
    let s = this_str(w, t, a, meth)?;
    let args = pos_args(a, "str", meth, 1, 2)?;
    let width = as_index(w, t, &args[0])?;
    let fill = match args.get(1) {
        None => ' ',
        Some(Value::Str(f)) if f.chars().count() == 1 => f.chars().next().unwrap_or(' '),
        Some(Value::Str(_)) => return Err(type_error("The fill character must be exactly one character long")),
        Some(v) => {
            let tn = type_name(w, t, v);
            return Err(type_error(format!(
                "The fill character must be a unicode character, not {tn}"
            )));
        }
    };
    let len = s.chars().count();
    Ok((s, len, width.max(0) as usize, fill))
}

fn padded(s: &str, left: usize, right: usize, fill: char) -> Value {
    let mut out = String::with_capacity(s.len() + left + right);
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, right));
    Value::str(out)
}

fn s_center(w: &mut World, t: Tid, a: Args) -> NResult {
    let (s, len, width, fill) = pad_args(w, t, &a, "center")?;
    if width <= len {
        return ret(Value::Str(s));
    }
    let marg = width - len;
    let left = marg / 2 + (marg & width & 1);
    ret(padded(&s, left, marg - left, fill))
}

fn s_ljust(w: &mut World, t: Tid, a: Args) -> NResult {
    let (s, len, width, fill) = pad_args(w, t, &a, "ljust")?;
    ret(padded(&s, 0, width.saturating_sub(len), fill))
}

fn s_rjust(w: &mut World, t: Tid, a: Args) -> NResult {
    let (s, len, width, fill) = pad_args(w, t, &a, "rjust")?;
    ret(padded(&s, width.saturating_sub(len), 0, fill))
}

fn s_zfill(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = this_str(w, t, &a, "zfill")?;
    let width = one_arg(&a, "str", "zfill")?;
    let width = as_index(w, t, &width)?;
    let len = s.chars().count() as i64;
    if width <= len {
        return ret(Value::Str(s));
    }
    let zeros = "0".repeat((width - len) as usize);
    let out = match s.chars().next() {
        Some(sign @ ('+' | '-')) => format!("{sign}{zeros}{}", &s[1..]),
        _ => format!("{zeros}{s}"),
    };
    ret(Value::str(out))
}

fn s_expandtabs(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = this_str(w, t, &a, "expandtabs")?;
    let p = kw_args(&a, "expandtabs", &["tabsize"], 0, 0, 1)?;
    let tabsize = match &p[0] {
        Some(v) => as_index(w, t, v)?,
        None => 8,
    };
    let mut out = String::with_capacity(s.len());
    let mut col: i64 = 0;
    for c in s.chars() {
        match c {
            '\t' => {
                if tabsize > 0 {
                    let n = tabsize - col % tabsize;
                    out.extend(std::iter::repeat_n(' ', n as usize));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    ret(Value::str(out))
}

fn s_encode(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Err(type_error(
        "str.encode() is not supported: the simulator has no bytes type",
    ))
}

/// The method `name` of `str`, if it has one.
pub fn str_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "upper" => native!("str.upper", s_upper),
        "lower" => native!("str.lower", s_lower),
        "casefold" => native!("str.casefold", s_casefold),
        "swapcase" => native!("str.swapcase", s_swapcase),
        "title" => native!("str.title", s_title),
        "capitalize" => native!("str.capitalize", s_capitalize),
        "isdigit" => native!("str.isdigit", s_isdigit),
        "isdecimal" => native!("str.isdecimal", s_isdecimal),
        "isnumeric" => native!("str.isnumeric", s_isnumeric),
        "isalpha" => native!("str.isalpha", s_isalpha),
        "isalnum" => native!("str.isalnum", s_isalnum),
        "isspace" => native!("str.isspace", s_isspace),
        "isascii" => native!("str.isascii", s_isascii),
        "isprintable" => native!("str.isprintable", s_isprintable),
        "isupper" => native!("str.isupper", s_isupper),
        "islower" => native!("str.islower", s_islower),
        "istitle" => native!("str.istitle", s_istitle),
        "isidentifier" => native!("str.isidentifier", s_isidentifier),
        "strip" => native!("str.strip", s_strip),
        "lstrip" => native!("str.lstrip", s_lstrip),
        "rstrip" => native!("str.rstrip", s_rstrip),
        "split" => native!("str.split", s_split),
        "rsplit" => native!("str.rsplit", s_rsplit),
        "splitlines" => native!("str.splitlines", s_splitlines),
        "join" => native!("str.join", s_join),
        "find" => native!("str.find", s_find),
        "rfind" => native!("str.rfind", s_rfind),
        "index" => native!("str.index", s_index),
        "rindex" => native!("str.rindex", s_rindex),
        "count" => native!("str.count", s_count),
        "replace" => native!("str.replace", s_replace),
        "startswith" => native!("str.startswith", s_startswith),
        "endswith" => native!("str.endswith", s_endswith),
        "partition" => native!("str.partition", s_partition),
        "rpartition" => native!("str.rpartition", s_rpartition),
        "removeprefix" => native!("str.removeprefix", s_removeprefix),
        "removesuffix" => native!("str.removesuffix", s_removesuffix),
        "center" => native!("str.center", s_center),
        "ljust" => native!("str.ljust", s_ljust),
        "rjust" => native!("str.rjust", s_rjust),
        "zfill" => native!("str.zfill", s_zfill),
        "expandtabs" => native!("str.expandtabs", s_expandtabs),
        "format" => native!("str.format", s_format),
        "format_map" => native!("str.format_map", s_format_map),
        "encode" => native!("str.encode", s_encode),
        _ => return None,
    })
}
