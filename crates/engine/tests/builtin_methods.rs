//! Methods of builtin types (`str`, `list`, `dict` and its views, `set`,
//! `tuple`, `int`, `float`) through the whole engine: each script's output is
//! compared with what CPython 3.13 printed for it, and each script is run twice
//! to check that the trace is the same.

use threadline_engine::{run, RunOptions};

/// Prints the repr of `f()`, or the exception's class name and message.
const PRELUDE: &str = r#"def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)
"#;

fn check(script: &str, expected: &str) {
    let src = format!("{PRELUDE}{script}");
    let opts = RunOptions::default();
    let trace = run(&src, &opts);
    assert!(trace.diagnostics.is_empty(), "diagnostics: {:?}", trace.diagnostics);
    let got: Vec<&str> = trace.output.iter().map(|l| l.text.as_str()).collect();
    let want: Vec<&str> = expected.lines().collect();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "output line {} differs", i + 1);
    }
    assert_eq!(got.len(), want.len(), "output: {got:#?}");
    assert_eq!(run(&src, &opts), trace, "two runs of the same script differ");
}

/// Upper, lower, swapcase, title, capitalize, casefold (with final sigma and special case mappings).
#[test]
fn str_case() {
    check(
        r#"s = "Hello, World"
print(s.upper(), s.lower(), s.swapcase())
print("hello world".title(), "they're bill's friends".title(), "hello   world 3rd".title())
print("hello WORLD".capitalize(), "".capitalize(), "123abc".capitalize())
print("Straße".casefold(), "Straße".lower(), "ß".upper(), "ß".title())
print("ΟΔΥΣΣΕΥΣ".lower(), "ΟΔΥΣΣΕΥΣ".capitalize(), "ΟΔΥΣΣΕΥΣ".title(), "ΑΣ".swapcase())
print("ﬁsh ß ǆx".title(), "ǆx".capitalize(), "İ".lower() == "i\u0307")
t(lambda: "a".upper(1))
t(lambda: "a".lower(x=1))
t(lambda: "a".title(1, 2))
"#,
        r#"HELLO, WORLD hello, world hELLO, wORLD
Hello World They'Re Bill'S Friends Hello   World 3Rd
Hello world  123abc
strasse straße SS Ss
οδυσσευς Οδυσσευς Οδυσσευς ας
Fish Ss ǅx ǅx True
TypeError str.upper() takes no arguments (1 given)
TypeError str.lower() takes no keyword arguments
TypeError str.title() takes no arguments (2 given)
"#,
    );
}

/// The isX predicates, including non-ASCII digits, numerals and letters.
#[test]
fn str_is() {
    check(
        r#"for s in ["", "abc", "ABC", "Abc", "abc1", "123", "½", "²", "一二三", "١٢٣", " \t\n", "\x1c", "a b", "_x1", "1x", "é", "naïve", "Hello World", "Hello world", "ǅ", "A1", "a\u0301", "\t", "\u00a0", "x\u200b", "€"]:
    print(repr(s) if s.isascii() else [hex(ord(c)) for c in s], s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalpha(), s.isalnum(), s.isspace(),
          s.isupper(), s.islower(), s.istitle(), s.isidentifier(), s.isascii(), s.isprintable())
t(lambda: "a".isdigit(1))
t(lambda: "a".isalpha(x=1))
"#,
        r#"'' False False False False False False False False False False True True
'abc' False False False True True False False True False True True True
'ABC' False False False True True False True False False True True True
'Abc' False False False True True False False False True True True True
'abc1' False False False False True False False True False True True True
'123' True True True False True False False False False False True True
['0xbd'] False False True False True False False False False False False True
['0xb2'] True False True False True False False False False False False True
['0x4e00', '0x4e8c', '0x4e09'] False False True True True False False False False True False True
['0x661', '0x662', '0x663'] True True True False True False False False False False False True
' \t\n' False False False False False True False False False False True False
'\x1c' False False False False False True False False False False True False
'a b' False False False False False False False True False False True True
'_x1' False False False False False False False True False True True True
'1x' False False False False True False False True False False True True
['0xe9'] False False False True True False False True False True False True
['0x6e', '0x61', '0xef', '0x76', '0x65'] False False False True True False False True False True False True
'Hello World' False False False False False False False False True False True True
'Hello world' False False False False False False False False False False True True
['0x1c5'] False False False True True False False False True True False True
'A1' False False False False True False True False True True True True
['0x61', '0x301'] False False False False False False False True False True False True
'\t' False False False False False True False False False False True False
['0xa0'] False False False False False True False False False False False False
['0x78', '0x200b'] False False False False False False False True False False False False
['0x20ac'] False False False False False False False False False False False True
TypeError str.isdigit() takes no arguments (1 given)
TypeError str.isalpha() takes no keyword arguments
"#,
    );
}

/// Strip, lstrip, rstrip with and without characters.
#[test]
fn str_strip() {
    check(
        r#"print(repr("  hi  ".strip()), repr("  hi  ".lstrip()), repr("  hi  ".rstrip()))
print(repr("xxhixx".strip("x")), repr("abcba".strip("ab")), repr("abc".lstrip("ab")), repr("abc".rstrip("c")))
print(repr("\t\n hi \x1c\u3000".strip()), repr("abc".strip("")), repr("abc".strip(None)))
t(lambda: "a".strip(1))
t(lambda: "a".lstrip(1))
t(lambda: "a".rstrip([]))
t(lambda: "a".strip("a", "b"))
t(lambda: "a".strip(chars="a"))
"#,
        r#"'hi' 'hi  ' '  hi'
'hi' 'c' 'c' 'ab'
'hi' 'abc' 'abc'
TypeError strip arg must be None or str
TypeError lstrip arg must be None or str
TypeError rstrip arg must be None or str
TypeError strip expected at most 1 argument, got 2
TypeError str.strip() takes no keyword arguments
"#,
    );
}

/// Split, rsplit (whitespace and separator, maxsplit), splitlines.
#[test]
fn str_split() {
    check(
        r#"print("a b  c".split(), "a b  c".split(" "), "a,b,,c".split(","), "".split(), "".split(","))
print("  a b c  ".split(None, 1), "  a b c  ".rsplit(None, 1), " a b ".split(None, 0), " a b ".rsplit(None, 0))
print("a,b,c,d".split(",", 2), "a,b,c,d".rsplit(",", 2), "a,b".split(",", 0), "abc".split(" ", -5))
print("aaa".split("aa"), "aaa".rsplit("aa"), "a b".split(maxsplit=True), "a-b-c".split(sep="-", maxsplit=1))
print("x\ty\nz".split(), "line1\nline2\r\nline3\rline4".splitlines(), "a\n\nb\n".splitlines(True))
print("a\x0bb\x0cc\x1cd\x1de\x1ef\x85g\u2028h\u2029i".splitlines(), "".splitlines(), "\n".splitlines(), "abc".splitlines(keepends=True))
t(lambda: "a".split(""))
t(lambda: "a".split(1))
t(lambda: "a".split("a", "b"))
t(lambda: "a".split("a", 1, 2))
t(lambda: "a".split(x=1))
t(lambda: "a".split(None, sep=None))
t(lambda: "a b".split(sep=None, maxsplit=1.0))
t(lambda: "a".rsplit(""))
t(lambda: "a".rsplit(1, 2, 3))
t(lambda: "a".splitlines(1, 2))
t(lambda: "a".splitlines(x=1))
t(lambda: "a".splitlines(True, keepends=1))
"#,
        r#"['a', 'b', 'c'] ['a', 'b', '', 'c'] ['a', 'b', '', 'c'] [] ['']
['a', 'b c  '] ['  a b', 'c'] ['a b '] [' a b']
['a', 'b', 'c,d'] ['a,b', 'c', 'd'] ['a,b'] ['abc']
['', 'a'] ['a', ''] ['a', 'b'] ['a', 'b-c']
['x', 'y', 'z'] ['line1', 'line2', 'line3', 'line4'] ['a\n', '\n', 'b\n']
['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] [] [''] ['abc']
ValueError empty separator
TypeError must be str or None, not int
TypeError 'str' object cannot be interpreted as an integer
TypeError split() takes at most 2 arguments (3 given)
TypeError split() got an unexpected keyword argument 'x'
TypeError argument for split() given by name ('sep') and position (1)
TypeError 'float' object cannot be interpreted as an integer
ValueError empty separator
TypeError rsplit() takes at most 2 arguments (3 given)
TypeError splitlines() takes at most 1 argument (2 given)
TypeError splitlines() got an unexpected keyword argument 'x'
TypeError splitlines() takes at most 1 argument (2 given)
"#,
    );
}

/// Join over lists, strings, generators, dicts and sets.
#[test]
fn str_join() {
    check(
        r#"print(", ".join(["a", "b", "c"]), "-".join("abc"), "".join([]), "+".join(x for x in "xy"), ",".join(("p",)))
print("/".join({"k1": 1, "k2": 2}), "|".join({"s"}), " ".join(str(i) for i in range(3)))
t(lambda: "x".join([1]))
t(lambda: "x".join(["a", None]))
t(lambda: ",".join(["a", 1, 2]))
t(lambda: "x".join(5))
t(lambda: "x".join())
t(lambda: "x".join([], []))
t(lambda: "x".join(iterable=[]))
class C:
    pass
t(lambda: "x".join(C()))
"#,
        r#"a, b, c a-b-c  x+y p
k1/k2 s 0 1 2
TypeError sequence item 0: expected str instance, int found
TypeError sequence item 1: expected str instance, NoneType found
TypeError sequence item 1: expected str instance, int found
TypeError can only join an iterable
TypeError str.join() takes exactly one argument (0 given)
TypeError str.join() takes exactly one argument (2 given)
TypeError str.join() takes no keyword arguments
TypeError can only join an iterable
"#,
    );
}

/// Find, rfind, index, rindex, count with bounds.
#[test]
fn str_search() {
    check(
        r#"s = "abcabc"
print(s.find("b"), s.find("b", 2), s.find("b", 2, 4), s.find("z"), s.rfind("b"), s.rfind("b", 0, 4), s.find(""), s.rfind(""))
print(s.index("c"), s.rindex("c"), s.count("b"), s.count(""), "aaaa".count("aa"), s.count("a", 1), s.count("a", -10, 10))
print("abc".find("", 3), "abc".find("", 4), "abc".count("", 2, 1), "abc".find("c", -1), "abc".find("b", None, None), "abc".rfind("c", 0, 2))
print("héllo".find("l"), "héllo".index("o"), "日本語".find("語"))
t(lambda: "a".index("b"))
t(lambda: "abc".rindex("c", 0, 2))
t(lambda: "abc".index("c", 1, -1))
t(lambda: "a".find())
t(lambda: "a".find("a", 1, 2, 3))
t(lambda: "a".find(sub="a"))
t(lambda: "a".find(1))
t(lambda: "a".rfind(None))
t(lambda: "a".index(1))
t(lambda: "a".rindex(1))
t(lambda: "a".count(1))
t(lambda: "a".count())
t(lambda: "abc".find("b", "x"))
t(lambda: "abc".find("b", 1.0))
t(lambda: "abc".count("b", 0, "x"))
t(lambda: "a".find(None))
t(lambda: "a".count(None))
"#,
        r#"1 4 -1 -1 4 1 0 6
2 5 2 7 2 1 2
3 -1 0 2 1 -1
2 4 2
ValueError substring not found
ValueError substring not found
ValueError substring not found
TypeError find expected at least 1 argument, got 0
TypeError find expected at most 3 arguments, got 4
TypeError str.find() takes no keyword arguments
TypeError find() argument 1 must be str, not int
TypeError rfind() argument 1 must be str, not None
TypeError index() argument 1 must be str, not int
TypeError rindex() argument 1 must be str, not int
TypeError count() argument 1 must be str, not int
TypeError count expected at least 1 argument, got 0
TypeError slice indices must be integers or None or have an __index__ method
TypeError slice indices must be integers or None or have an __index__ method
TypeError slice indices must be integers or None or have an __index__ method
TypeError find() argument 1 must be str, not None
TypeError count() argument 1 must be str, not None
"#,
    );
}

/// Replace with count (also by keyword).
#[test]
fn str_replace() {
    check(
        r#"print("aaa".replace("a", "b"), "aaa".replace("a", "b", 2), "aaa".replace("a", "b", 0), "aaa".replace("a", "b", -1))
print("abc".replace("", "-"), "abc".replace("", "-", 2), "abc".replace("b", "X", count=0), "abc".replace("b", "XY", count=5))
print("hello world".replace("o", ""), "ab".replace("x", "y"))
t(lambda: "a".replace("a"))
t(lambda: "a".replace("a", "b", "c"))
t(lambda: "a".replace(1, "b"))
t(lambda: "a".replace("a", 2))
t(lambda: "a".replace(1, 2, 3, 4))
t(lambda: "a".replace(x=1))
t(lambda: "a".replace("a", new="b"))
t(lambda: "a".replace("a", "b", old=1))
t(lambda: "a".replace("a", "b", 1, count=2))
t(lambda: "aaa".replace(old="a", new="b"))
t(lambda: "a".replace(None, "b"))
t(lambda: "a".replace("a", None))
"#,
        r#"bbb bba aaa bbb
-a-b-c- -a-bc abc aXYc
hell wrld ab
TypeError replace() takes at least 2 positional arguments (1 given)
TypeError 'str' object cannot be interpreted as an integer
TypeError replace() argument 1 must be str, not int
TypeError replace() argument 2 must be str, not int
TypeError replace() takes at most 3 arguments (4 given)
TypeError replace() takes at least 2 positional arguments (0 given)
TypeError replace() takes at least 2 positional arguments (1 given)
TypeError replace() got an unexpected keyword argument 'old'
TypeError replace() takes at most 3 arguments (4 given)
TypeError replace() takes at least 2 positional arguments (0 given)
TypeError replace() argument 1 must be str, not None
TypeError replace() argument 2 must be str, not None
"#,
    );
}

/// Startswith, endswith (str or tuple, bounds), removeprefix, removesuffix.
#[test]
fn str_affix() {
    check(
        r#"s = "hello.py"
print(s.startswith("he"), s.startswith("lo", 3), s.startswith("x"), s.endswith(".py"), s.endswith((".txt", ".py")), s.endswith("hello", 0, 5))
print("abc".startswith("", 5), "abc".startswith("", 3), "abc".endswith("", -1), "abc".endswith(("x", "c"), 0, 2), "abc".startswith("b", None))
print("abc".startswith(("a", 1)), "ab".removeprefix("a"), "ab".removeprefix("x"), "ab".removesuffix("b"), "ab".removesuffix("x"), "".removeprefix(""))
t(lambda: "a".startswith(1))
t(lambda: "a".startswith(["a"]))
t(lambda: "a".startswith((1,)))
t(lambda: "a".endswith(("x", 1)))
t(lambda: "a".startswith())
t(lambda: "a".endswith(1, 2, 3, 4))
t(lambda: "a".startswith(x=1))
t(lambda: "a".startswith("a", "b"))
t(lambda: "a".removeprefix(1))
t(lambda: "a".removesuffix(1))
t(lambda: "a".removeprefix())
t(lambda: "a".removesuffix("a", "b"))
t(lambda: "a".removeprefix(None))
t(lambda: "a".startswith(None))
t(lambda: "a".startswith((None,)))
"#,
        r#"True True False True True True
False True True False False
True b ab a ab 
TypeError startswith first arg must be str or a tuple of str, not int
TypeError startswith first arg must be str or a tuple of str, not list
TypeError tuple for startswith must only contain str, not int
TypeError tuple for endswith must only contain str, not int
TypeError startswith expected at least 1 argument, got 0
TypeError endswith expected at most 3 arguments, got 4
TypeError str.startswith() takes no keyword arguments
TypeError slice indices must be integers or None or have an __index__ method
TypeError removeprefix() argument must be str, not int
TypeError removesuffix() argument must be str, not int
TypeError str.removeprefix() takes exactly one argument (0 given)
TypeError str.removesuffix() takes exactly one argument (2 given)
TypeError removeprefix() argument must be str, not None
TypeError startswith first arg must be str or a tuple of str, not NoneType
TypeError tuple for startswith must only contain str, not NoneType
"#,
    );
}

/// Center, ljust, rjust, zfill, expandtabs.
#[test]
fn str_pad() {
    check(
        r#"print(repr("ab".center(5)), repr("a".center(4)), repr("abc".center(8, "*")), repr("abc".center(2)), repr("ab".center(6, "-")))
print(repr("a".ljust(3, "-")), repr("a".rjust(3)), repr("a".ljust(-1)), repr("héllo".rjust(7, "·")))
print("42".zfill(5), "-42".zfill(6), "+4".zfill(1), "abc".zfill(5), "".zfill(2), "-".zfill(3))
print(repr("ab\tc\td\n1\t2".expandtabs(4)), repr("a\tb".expandtabs()), repr("a\tb".expandtabs(0)), repr("a\tb".expandtabs(tabsize=2)), repr("12345678\tx".expandtabs()))
t(lambda: "a".center())
t(lambda: "a".center(5, "ab"))
t(lambda: "a".center(5, ""))
t(lambda: "a".center(5, 1))
t(lambda: "a".center(3, None))
t(lambda: "a".center("x"))
t(lambda: "a".ljust(1, 2, 3))
t(lambda: "a".rjust(x=1))
t(lambda: "a".zfill("x"))
t(lambda: "a".zfill(1.0))
t(lambda: "a".zfill())
t(lambda: "a".expandtabs("x"))
t(lambda: "a".expandtabs(1, 2))
t(lambda: "a".expandtabs(8, tabsize=2))
t(lambda: "a".expandtabs(x=1))
t(lambda: "a".zfill(None))
t(lambda: "a".center(None))
"#,
        r#"'  ab ' ' a  ' '**abc***' 'abc' '--ab--'
'a--' '  a' 'a' '··héllo'
00042 -00042 +4 00abc 00 -00
'ab  c   d\n1   2' 'a       b' 'ab' 'a b' '12345678        x'
TypeError center expected at least 1 argument, got 0
TypeError The fill character must be exactly one character long
TypeError The fill character must be exactly one character long
TypeError The fill character must be a unicode character, not int
TypeError The fill character must be a unicode character, not NoneType
TypeError 'str' object cannot be interpreted as an integer
TypeError ljust expected at most 2 arguments, got 3
TypeError str.rjust() takes no keyword arguments
TypeError 'str' object cannot be interpreted as an integer
TypeError 'float' object cannot be interpreted as an integer
TypeError str.zfill() takes exactly one argument (0 given)
TypeError 'str' object cannot be interpreted as an integer
TypeError expandtabs() takes at most 1 argument (2 given)
TypeError expandtabs() takes at most 1 argument (2 given)
TypeError expandtabs() got an unexpected keyword argument 'x'
TypeError 'NoneType' object cannot be interpreted as an integer
TypeError 'NoneType' object cannot be interpreted as an integer
"#,
    );
}

/// Partition, rpartition.
#[test]
fn str_partition() {
    check(
        r#"print("a=b=c".partition("="), "a=b=c".rpartition("="), "ab".partition("x"), "ab".rpartition("x"), "ab".partition("b"))
t(lambda: "a".partition(""))
t(lambda: "a".rpartition(""))
t(lambda: "a".partition(1))
t(lambda: "a".partition())
t(lambda: "a".rpartition(sep="a"))
t(lambda: "a".partition(None))
t(lambda: "a".rpartition(None))
"#,
        r#"('a', '=', 'b=c') ('a=b', '=', 'c') ('ab', '', '') ('', '', 'ab') ('a', 'b', '')
ValueError empty separator
ValueError empty separator
TypeError must be str, not int
TypeError str.partition() takes exactly one argument (0 given)
TypeError str.rpartition() takes no keyword arguments
TypeError must be str, not NoneType
TypeError must be str, not NoneType
"#,
    );
}

/// Str.format and format_map: numbering, specs, conversions, nested fields, attribute and index access, errors.
#[test]
fn str_format() {
    check(
        r#"print("{} and {}".format("spam", "eggs"), "{1} {0} {1}".format("a", "b"), "{name} is {age}".format(name="Ann", age=7))
print("{:>8}|{:<6.2f}|{:^7}|{!r:>6}".format("ab", 3.14159, "mid", "q"))
print("{0!r} {0!s} {0!a}".format("é"), "{{}}{{{0}}}".format(5), "{:x} {:,} {:%} {:08.3f}".format(255, 1234567, 0.25, -3.14159))
print("{:{}}|".format(3, 5), "{:>{w}}|".format("a", w=3), "{0:{1}d}{2}".format(1, 3, 4), "{:{}}{}".format(1, 3, 4))
print("{0[1]} {0[x]}".format({1: "one", "x": "ex"}), "{0[0]}".format([9]), "{a[0]}".format(a=[7]), "{[0]}".format([8]), "{.real}".format(8))
print("{0.real}".format(3.5), "{00}".format(4), "{0[00]}".format([4]), "{٠}".format(7))
class P:
    def __init__(self):
        self.x = 1
        self.y = [10, 20]
    def __str__(self):
        return "P!"
    def __repr__(self):
        return "P()"
p = P()
print("{0.x} {0.y[1]} {0} {0!r} {p.x}".format(p, p=p))
print("{}".format([1, "a"]), "{!s:5}|".format(None), "{:}".format(5), "{0:}".format(5), "{0!r:}".format(5), "{0}".format(1, 2))
print("{0:{1}}".format("a", 3.0) + "|", "{:>}".format(1), "x{0!s}y".format("q"), "{0.real.real}".format(1))
class F:
    def __format__(self, spec):
        return "F<" + spec + ">"
print("{:abc} {}".format(F(), F()), format(3, "03"))
print("{}".format(True), "{:d}".format(True), "{:5}|".format(True), "{:.3}".format("abcdef"), "{:e}".format(12345.678))
print("{name}!".format_map({"name": "N"}), "{x[y]}".format_map({"x": {"y": "z"}}))
t(lambda: "{0}".format_map({"0": 1}))
t(lambda: "{}".format_map({}))
for f in ["{0}{}", "{}{0}", "{1}", "{x}", "{0.}", "{0[}", "{0[]}", "{0!}", "}", "{", "{0", "{0!rx}", "{0!z}", "{0:{1:{2}}}",
          "{0}}", "a}b", "{0[0]x}", "{0.a.b}", "{-1}", "{0[-1]}", "{ }", "{0 }", "{0:d}", "{:5}|", "{0:{1}}", "{:{}}",
          "{0!}x}", "{0!}:}", "{0!r", "{0!", "{0:", "{0:{", "{0[a]", "{0:{}}", "{!}", "{0.x[}", "{0]}", "{0:}}", "{0{}", "{a{b}",
          "{0!é}", "{99999999999999999999}", "{0:[}", "{0:{{}}}"]:
    def g(f=f):
        if f in ("{0[}", "{0[]}"):
            return f.format([1])
        if f in ("{0[-1]}", "{0[0]x}"):
            return f.format([1, 2])
        if f == "{:5}|":
            return f.format(None)
        if f == "{0:d}":
            return f.format("x")
        if f == "{0[a]":
            return f.format({"a": 1})
        return f.format(1, 2, 3)
    print(f, end=" ")
    t(g)
t(lambda: "{x}".format())
t(lambda: "{a}".format_map({}))
t(lambda: "{a}".format_map({"a": 1}, 2))
t(lambda: "{:5}".format([1]))
class G:
    pass
t(lambda: "{:>5}".format(G()))
t(lambda: "{!s:>5}|{}".format(G(), G())[:5])
class B:
    def __format__(self, spec):
        return 42
t(lambda: "{}".format(B()))
"#,
        r#"spam and eggs b a b Ann is 7
      ab|3.14  |  mid  |   'q'
'é' é '\xe9' {}{5} ff 1,234,567 25.000000% -003.142
    3|   a|   14   14
one ex 9 7 8 8
3.5 4 4 7
1 20 P! P() 1
[1, 'a'] None | 5 5 5 1
   | 1 xqy 1
F<abc> F<> 003
True 1     1| abc 1.234568e+04
N! z
ValueError Format string contains positional fields
ValueError Format string contains positional fields
{0}{} ValueError cannot switch from manual field specification to automatic field numbering
{}{0} ValueError cannot switch from automatic field numbering to manual field specification
{1} '2'
{x} KeyError 'x'
{0.} ValueError Empty attribute in format string
{0[} ValueError expected '}' before end of string
{0[]} ValueError Empty attribute in format string
{0!} ValueError unmatched '{' in format spec
} ValueError Single '}' encountered in format string
{ ValueError Single '{' encountered in format string
{0 ValueError expected '}' before end of string
{0!rx} ValueError expected ':' after conversion specifier
{0!z} ValueError Unknown conversion specifier z
{0:{1:{2}}} ValueError Max string recursion exceeded
{0}} ValueError Single '}' encountered in format string
a}b ValueError Single '}' encountered in format string
{0[0]x} ValueError Only '.' or '[' may follow ']' in format field specifier
{0.a.b} AttributeError 'int' object has no attribute 'a'
{-1} KeyError '-1'
{0[-1]} TypeError list indices must be integers or slices, not str
{ } KeyError ' '
{0 } KeyError '0 '
{0:d} ValueError Unknown format code 'd' for object of type 'str'
{:5}| TypeError unsupported format string passed to NoneType.__format__
{0:{1}} ' 1'
{:{}} ' 1'
{0!}x} ValueError expected ':' after conversion specifier
{0!}:} ValueError Unknown conversion specifier }
{0!r ValueError unmatched '{' in format spec
{0! ValueError end of string while looking for conversion specifier
{0: ValueError unmatched '{' in format spec
{0:{ ValueError unmatched '{' in format spec
{0[a] ValueError expected '}' before end of string
{0:{}} ValueError cannot switch from manual field specification to automatic field numbering
{!} ValueError unmatched '{' in format spec
{0.x[} ValueError expected '}' before end of string
{0]} KeyError '0]'
{0:}} ValueError Single '}' encountered in format string
{0{} ValueError unexpected '{' in field name
{a{b} ValueError unexpected '{' in field name
{0!é} ValueError Unknown conversion specifier \xe9
{99999999999999999999} ValueError Too many decimal digits in format string
{0:[} ValueError Unknown format code '[' for object of type 'int'
{0:{{}}} ValueError Invalid format specifier '{}' for object of type 'int'
KeyError 'x'
KeyError 'a'
TypeError str.format_map() takes exactly one argument (2 given)
TypeError unsupported format string passed to list.__format__
TypeError unsupported format string passed to G.__format__
'<__ma'
TypeError __format__ must return a str, not int
"#,
    );
}

/// Append, extend, insert, pop, remove, index, count, reverse, copy, clear.
#[test]
fn list_case() {
    check(
        r#"a = [3, 1, 2]
a.append(4)
a.extend([5, 6])
a.extend("ab")
a.extend(range(2))
a.extend({"k": 1})
a.extend((7,))
print(a)
a.insert(0, "first")
a.insert(100, "last")
a.insert(-1, "before-last")
a.insert(-100, "very-first")
print(a)
print(a.pop(), a.pop(0), a.pop(-2), a.pop(True), a)
a.remove("ab"[0])
print(a, a.index(2), a.index(1, 3), a.count(1), [1, 1.0, True].count(1), a.index(0, -5), a.index(0, 0, 100))
b = a.copy()
b.reverse()
print(b, a is b, b == list(reversed(a)))
b.clear()
print(b, a)
e = [1, 2]
e.extend(e)
print(e)
t(lambda: [].pop())
t(lambda: [1].pop(5))
t(lambda: [1, 2, 3].pop(-4))
t(lambda: [].pop(5))
t(lambda: [1].pop("x"))
t(lambda: [1].pop(1, 2))
t(lambda: [1].pop(index=0))
t(lambda: [].remove(1))
t(lambda: [1].index(3))
t(lambda: [1].index("a"))
t(lambda: [1, 2, 3].index(1, 1))
t(lambda: [1].index(1, "a"))
t(lambda: [1].index(1, None))
t(lambda: [1].index())
t(lambda: [1].index(x=1))
t(lambda: [].insert(1))
t(lambda: [].insert("a", 1))
t(lambda: [].insert(1.0, 2))
t(lambda: [].append())
t(lambda: [].append(1, 2))
t(lambda: [].append(x=1))
t(lambda: [].extend(5))
t(lambda: [].extend())
t(lambda: [].count())
t(lambda: [].reverse(1))
t(lambda: [].copy(x=1))
t(lambda: [].clear(1, 2))
class E:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        return self.v == other
print([1, 2, 3].index(E(2)), [1, 2, 2].count(E(2)), [E(5)].count(5))
x = [1, 2, 3]
x.remove(E(2))
print(x)
"#,
        r#"[3, 1, 2, 4, 5, 6, 'a', 'b', 0, 1, 'k', 7]
['very-first', 'first', 3, 1, 2, 4, 5, 6, 'a', 'b', 0, 1, 'k', 7, 'before-last', 'last']
last very-first 7 3 ['first', 1, 2, 4, 5, 6, 'a', 'b', 0, 1, 'k', 'before-last']
['first', 1, 2, 4, 5, 6, 'b', 0, 1, 'k', 'before-last'] 2 8 2 3 7 7
['before-last', 'k', 1, 0, 'b', 6, 5, 4, 2, 1, 'first'] False True
[] ['first', 1, 2, 4, 5, 6, 'b', 0, 1, 'k', 'before-last']
[1, 2, 1, 2]
IndexError pop from empty list
IndexError pop index out of range
IndexError pop index out of range
IndexError pop from empty list
TypeError 'str' object cannot be interpreted as an integer
TypeError pop expected at most 1 argument, got 2
TypeError list.pop() takes no keyword arguments
ValueError list.remove(x): x not in list
ValueError 3 is not in list
ValueError 'a' is not in list
ValueError 1 is not in list
TypeError slice indices must be integers or have an __index__ method
TypeError slice indices must be integers or have an __index__ method
TypeError index expected at least 1 argument, got 0
TypeError list.index() takes no keyword arguments
TypeError insert expected 2 arguments, got 1
TypeError 'str' object cannot be interpreted as an integer
TypeError 'float' object cannot be interpreted as an integer
TypeError list.append() takes exactly one argument (0 given)
TypeError list.append() takes exactly one argument (2 given)
TypeError list.append() takes no keyword arguments
TypeError 'int' object is not iterable
TypeError list.extend() takes exactly one argument (0 given)
TypeError list.count() takes exactly one argument (0 given)
TypeError list.reverse() takes no arguments (1 given)
TypeError list.copy() takes no keyword arguments
TypeError list.clear() takes no arguments (2 given)
1 2 1
[1, 3]
"#,
    );
}

/// Sort: in place, stable, key, reverse, errors.
#[test]
fn list_sort() {
    check(
        r#"a = [5, 2, 9, 1]
print(a.sort(), a)
a.sort(reverse=True)
print(a)
words = ["banana", "Apple", "cherry", "apple", "Banana"]
words.sort()
print(words)
words.sort(key=lambda s: s.lower())
print(words)
words.sort(key=len, reverse=True)
print(words)
pairs = [(2, "b"), (1, "z"), (2, "a"), (1, "y")]
pairs.sort(key=lambda p: p[0])
print(pairs)
pairs.sort(key=lambda p: p[0], reverse=True)
print(pairs)
pairs.sort()
print(pairs)
m = [1.5, -2, 3, 0]
m.sort(key=abs)
print(m)
m.sort(key=None, reverse=0)
print(m)
t(lambda: [1, "a"].sort())
t(lambda: [1].sort(1))
t(lambda: [1].sort(1, 2))
t(lambda: [1].sort(1, 2, 3))
t(lambda: [1].sort(x=1))
t(lambda: [1, 2].sort(key=1))
def bad(x):
    raise ValueError("bad key " + str(x))
l = [3, 1, 2]
t(lambda: l.sort(key=bad))
print(l)
"#,
        r#"None [1, 2, 5, 9]
[9, 5, 2, 1]
['Apple', 'Banana', 'apple', 'banana', 'cherry']
['Apple', 'apple', 'Banana', 'banana', 'cherry']
['Banana', 'banana', 'cherry', 'Apple', 'apple']
[(1, 'z'), (1, 'y'), (2, 'b'), (2, 'a')]
[(2, 'b'), (2, 'a'), (1, 'z'), (1, 'y')]
[(1, 'y'), (1, 'z'), (2, 'a'), (2, 'b')]
[0, 1.5, -2, 3]
[-2, 0, 1.5, 3]
TypeError '<' not supported between instances of 'str' and 'int'
TypeError sort() takes no positional arguments
TypeError sort() takes no positional arguments
TypeError sort() takes at most 2 arguments (3 given)
TypeError sort() got an unexpected keyword argument 'x'
TypeError 'int' object is not callable
ValueError bad key 3
[3, 1, 2]
"#,
    );
}

/// Get, setdefault, pop, popitem, update, copy, clear, fromkeys.
#[test]
fn dict_case() {
    check(
        r#"d = {"a": 1, "b": 2}
print(d.get("a"), d.get("z"), d.get("z", 0), d.get(1, "none"))
print(d.setdefault("a", 5), d.setdefault("c", 3), d.setdefault("n"), d)
print(d.pop("n"), d.pop("zz", "dflt"), d)
d.update({"d": 4})
d.update([("e", 5), ["f", 6]])
d.update(g=7, a=10)
d.update({"h": 8}, i=9)
d.update(["jk"])
d.update()
print(d)
print(d.popitem(), d.popitem(), d)
c = d.copy()
c["new"] = 1
print(len(d), len(c), "new" in d)
c.clear()
print(c, d)
print({}.fromkeys("ab"), d.fromkeys([1, 2], 0))
counts = {}
for w in "the cat the hat the".split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
groups = {}
for w in ["apple", "avocado", "banana"]:
    groups.setdefault(w[0], []).append(w)
print(groups)
t(lambda: {}.pop("a"))
t(lambda: {}.pop(1))
t(lambda: {}.pop((1, "x")))
t(lambda: {}.popitem())
t(lambda: {}.get())
t(lambda: {}.get(1, 2, 3))
t(lambda: {}.get(key=1))
t(lambda: {}.get([]))
t(lambda: {}.pop())
t(lambda: {}.setdefault())
t(lambda: {}.setdefault([], 1))
t(lambda: {}.update(5))
t(lambda: {}.update([1]))
t(lambda: {}.update([(1, 2, 3)]))
t(lambda: {}.update(["abc"]))
t(lambda: {}.update({}, {}))
t(lambda: {}.copy(1))
t(lambda: {}.clear(x=1))
t(lambda: {}.popitem(1))
class M:
    def keys(self):
        return ["x", "y"]
    def __getitem__(self, k):
        return k.upper()
e = {}
e.update(M())
print(e)
"#,
        r#"1 None 0 none
1 3 None {'a': 1, 'b': 2, 'c': 3, 'n': None}
None dflt {'a': 1, 'b': 2, 'c': 3}
{'a': 10, 'b': 2, 'c': 3, 'd': 4, 'e': 5, 'f': 6, 'g': 7, 'h': 8, 'i': 9, 'j': 'k'}
('j', 'k') ('i', 9) {'a': 10, 'b': 2, 'c': 3, 'd': 4, 'e': 5, 'f': 6, 'g': 7, 'h': 8}
8 9 False
{} {'a': 10, 'b': 2, 'c': 3, 'd': 4, 'e': 5, 'f': 6, 'g': 7, 'h': 8}
{'a': None, 'b': None} {1: 0, 2: 0}
{'the': 3, 'cat': 1, 'hat': 1}
{'a': ['apple', 'avocado'], 'b': ['banana']}
KeyError 'a'
KeyError 1
KeyError (1, 'x')
KeyError 'popitem(): dictionary is empty'
TypeError get expected at least 1 argument, got 0
TypeError get expected at most 2 arguments, got 3
TypeError dict.get() takes no keyword arguments
TypeError unhashable type: 'list'
TypeError pop expected at least 1 argument, got 0
TypeError setdefault expected at least 1 argument, got 0
TypeError unhashable type: 'list'
TypeError 'int' object is not iterable
TypeError cannot convert dictionary update sequence element #0 to a sequence
ValueError dictionary update sequence element #0 has length 3; 2 is required
ValueError dictionary update sequence element #0 has length 3; 2 is required
TypeError update expected at most 1 argument, got 2
TypeError dict.copy() takes no arguments (1 given)
TypeError dict.clear() takes no keyword arguments
TypeError dict.popitem() takes no arguments (1 given)
{'x': 'X', 'y': 'Y'}
"#,
    );
}

/// Keys, values, items: live views with CPython's repr.
#[test]
fn dict_views() {
    check(
        r#"d = {"a": 1, "b": 2}
k, v, i = d.keys(), d.values(), d.items()
print(k, v, i)
print(type(k).__name__, type(v).__name__, type(i).__name__, type(k))
print(len(k), len(v), len(i), "a" in k, "z" in k, 2 in v, ("a", 1) in i, ("a", 2) in i)
d["c"] = 3
print(k, list(v), sorted(i, reverse=True), bool(k), bool({}.keys()))
for key in d.keys():
    print(key, end=" ")
print()
for key, val in d.items():
    print(key, val, end="; ")
print()
print(list(d.keys()), tuple(d.values()), set(d.keys()) == {"a", "b", "c"}, max(d.values()), sum(d.values()), sorted(d.keys(), reverse=True))
print(", ".join(d.keys()), dict(d.items()), [x * 2 for x in d.values()], list(zip(d.keys(), d.values())))
a, b, c = d.values()
print(a, b, c, list(enumerate(d.keys())), sorted(d.items(), key=lambda kv: -kv[1]))
print(sorted(d.keys() - {"a"}), k.isdisjoint(["x"]), k.isdisjoint(["a"]), i.isdisjoint([("a", 1)]))
print({}.keys(), {}.values(), {}.items(), {1: [1, 2]}.values(), {(1, 2): "t"}.items())
print(k.mapping["a"])
t(lambda: d.keys(1))
t(lambda: d.values(x=1))
t(lambda: d.items(1, 2))
"#,
        r#"dict_keys(['a', 'b']) dict_values([1, 2]) dict_items([('a', 1), ('b', 2)])
dict_keys dict_values dict_items <class 'dict_keys'>
2 2 2 True False True True False
dict_keys(['a', 'b', 'c']) [1, 2, 3] [('c', 3), ('b', 2), ('a', 1)] True False
a b c 
a 1; b 2; c 3; 
['a', 'b', 'c'] (1, 2, 3) True 3 6 ['c', 'b', 'a']
a, b, c {'a': 1, 'b': 2, 'c': 3} [2, 4, 6] [('a', 1), ('b', 2), ('c', 3)]
1 2 3 [(0, 'a'), (1, 'b'), (2, 'c')] [('c', 3), ('b', 2), ('a', 1)]
['b', 'c'] True False False
dict_keys([]) dict_values([]) dict_items([]) dict_values([[1, 2]]) dict_items([((1, 2), 't')])
1
TypeError dict.keys() takes no arguments (1 given)
TypeError dict.values() takes no keyword arguments
TypeError dict.items() takes no arguments (2 given)
"#,
    );
}

/// Add, remove, discard, pop, the set algebra and its in-place forms, relations.
#[test]
fn set_case() {
    check(
        r#"s = {1, 2, 3}
s.add(4)
s.add(2)
print(s, s.remove(4), s.discard(10), s.discard(1), s)
print({3}.pop(), {1, 2} | {3}, {1, 2}.union([3, 4], (5,)), {1, 2}.union(), {1, 2, 3}.intersection({2, 3, 4}, [3]), {1, 2, 3}.difference([2], {3}))
print({1, 2, 3}.symmetric_difference([3, 4]), {1, 2}.issubset([1, 2, 3]), {1, 4}.issubset({1}), {1, 2}.issuperset([1]), {1}.isdisjoint([2]), {1}.isdisjoint({1}))
u = {1, 2}
u.update([3], "a")
print(sorted(u, key=str))
u.intersection_update([1, 2, 3, "x"])
print(u)
u.difference_update({1})
print(u)
u.symmetric_difference_update({3, 4})
print(u)
c = u.copy()
c.add(99)
print(u, sorted(c), c is u)
c.clear()
print(c, set().union({1: "a"}), {"a", "b"}.intersection("abc") == {"a", "b"})
print(set("hello") == {"h", "e", "l", "o"}, len(set("hello")))
t(lambda: set().remove(1))
t(lambda: set().remove("a"))
t(lambda: set().remove((1, 2)))
t(lambda: set().pop())
t(lambda: set().add([]))
t(lambda: set().add())
t(lambda: set().add(x=1))
t(lambda: set().union(5))
t(lambda: set().union([[1]]))
t(lambda: set().issubset(5))
t(lambda: set().issubset())
t(lambda: set().symmetric_difference())
t(lambda: set().symmetric_difference(1, 2))
t(lambda: set().update(1))
t(lambda: set().intersection(x=1))
t(lambda: set().pop(1))
t(lambda: set().copy(1))
t(lambda: {1}.discard())
"#,
        r#"{2, 3} None None None {2, 3}
3 {1, 2, 3} {1, 2, 3, 4, 5} {1, 2} {3} {1}
{1, 2, 4} True False True True False
[1, 2, 3, 'a']
{1, 2, 3}
{2, 3}
{2, 4}
{2, 4} [2, 4, 99] False
set() {1} True
True 4
KeyError 1
KeyError 'a'
KeyError (1, 2)
KeyError 'pop from an empty set'
TypeError unhashable type: 'list'
TypeError set.add() takes exactly one argument (0 given)
TypeError set.add() takes no keyword arguments
TypeError 'int' object is not iterable
TypeError unhashable type: 'list'
TypeError 'int' object is not iterable
TypeError set.issubset() takes exactly one argument (0 given)
TypeError set.symmetric_difference() takes exactly one argument (0 given)
TypeError set.symmetric_difference() takes exactly one argument (2 given)
TypeError 'int' object is not iterable
TypeError set.intersection() takes no keyword arguments
TypeError set.pop() takes no arguments (1 given)
TypeError set.copy() takes no arguments (1 given)
TypeError set.discard() takes exactly one argument (0 given)
"#,
    );
}

/// Tuple.count/index, int and float methods.
#[test]
fn tuple_num() {
    check(
        r#"tp = (1, 2, 2, "a", 2)
print(tp.count(2), tp.count("z"), tp.index("a"), tp.index(2, 2), tp.index(2, -1), (1, 1.0, True).count(True))
t(lambda: (1,).index(2))
t(lambda: (1, 2).index(1, 1))
t(lambda: (1,).index(1, None))
t(lambda: (1,).count())
t(lambda: (1,).index())
t(lambda: (1,).index(x=1))
print((0).bit_length(), (5).bit_length(), (-8).bit_length(), (255).bit_length(), True.bit_length(), (2**62).bit_length())
print((5).bit_count(), (-7).bit_count(), (5).is_integer(), (7).conjugate(), (6).as_integer_ratio(), (-3).as_integer_ratio())
print((1.5).is_integer(), (2.0).is_integer(), float("inf").is_integer(), (1.5).conjugate(), (0.5).as_integer_ratio(), (0.1).as_integer_ratio(), (-2.75).as_integer_ratio(), (0.0).as_integer_ratio(), (8.0).as_integer_ratio())
t(lambda: (5).bit_length(1))
t(lambda: (5).bit_length(x=1))
t(lambda: (5).is_integer(1))
t(lambda: (1.5).is_integer(1))
t(lambda: float("inf").as_integer_ratio())
t(lambda: float("nan").as_integer_ratio())
t(lambda: (1.5).conjugate(x=1))
"#,
        r#"3 0 3 2 4 3
ValueError tuple.index(x): x not in tuple
ValueError tuple.index(x): x not in tuple
TypeError slice indices must be integers or have an __index__ method
TypeError tuple.count() takes exactly one argument (0 given)
TypeError index expected at least 1 argument, got 0
TypeError tuple.index() takes no keyword arguments
0 3 4 8 1 63
2 3 True 7 (6, 1) (-3, 1)
False True False 1.5 (1, 2) (3602879701896397, 36028797018963968) (-11, 4) (0, 1) (8, 1)
TypeError int.bit_length() takes no arguments (1 given)
TypeError int.bit_length() takes no keyword arguments
TypeError int.is_integer() takes no arguments (1 given)
TypeError float.is_integer() takes no arguments (1 given)
OverflowError cannot convert Infinity to integer ratio
ValueError cannot convert NaN to integer ratio
TypeError float.conjugate() takes no keyword arguments
"#,
    );
}

/// Methods taken as values and passed around.
#[test]
fn bound_methods() {
    check(
        r#"words = []
add = words.append
for w in "b a c".split():
    add(w)
up = "shout".upper
print(up(), words, sorted(words, key="cab".index), list(map("{}!".format, words)))
d = {"x": 1, "y": 2}
get = d.get
print([get(k, 0) for k in "xyz"], max(d, key=d.get), list(filter(lambda c: c.isdigit(), "a1b2")))
print(True.bit_length(), False.bit_count(), True.as_integer_ratio(), (3).conjugate())
"#,
        r#"SHOUT ['b', 'a', 'c'] ['c', 'a', 'b'] ['b!', 'a!', 'c!']
[1, 2, 0] y ['1', '2']
1 0 (1, 1) 3
"#,
    );
}

/// A typical teaching script, with threads.
#[test]
fn teaching() {
    check(
        r#"import threading
text = """The quick brown fox jumps over the lazy dog.
The dog barks; the fox runs!"""
words = [w.strip(".,;!").lower() for w in text.split()]
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
print(top)
print(max(freq, key=freq.get), min(freq.values()), sorted(freq)[:4])
for i, (k, v) in enumerate(list(freq.items())[:2]):
    print("{:>2}. {:<6}|{:^5}|".format(i + 1, k, v))
print("{:-^30}".format(" Report "))
lines = text.splitlines()
print(len(lines), [l.split()[0] for l in lines], lines[1].partition(";"))
print("|".join(w.capitalize() for w in "hello big world".split()), "hello big world".title().replace(" ", ""))
results = []
lock = threading.Lock()
def worker(n):
    for i in range(3):
        with lock:
            results.append("t{}-{}".format(n, i))
threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
for th in threads:
    th.start()
for th in threads:
    th.join()
results.sort()
print(len(results), results[:4], results.count("t1-1"), results.index("t2-0"))
inventory = {"apples": 3}
inventory.update(pears=2)
inventory.setdefault("plums", 0)
print(inventory, inventory.pop("apples"), list(inventory.keys()), inventory.items())
todo = ["write", "test"]
todo.insert(0, "plan")
done = todo.pop(0)
print(done, todo, "test" in todo, todo.index("test"))
s = set()
for ch in "mississippi":
    s.add(ch)
print(sorted(s), len(s))
name = "  Ada Lovelace  "
first, last = name.strip().split()
print(first.upper(), last[::-1].lower(), f"{first!r:>10}", "{0}, {1}".format(last, first), name.count("a"), name.strip().center(20, "*"))
append = todo.append
append("ship")
print(todo, "".join(reversed("abc")), ",".join(map(str, [1, 2, 3])))
"#,
        r#"[('the', 4), ('dog', 2), ('fox', 2)]
the 1 ['barks', 'brown', 'dog', 'fox']
 1. the   |  4  |
 2. quick |  1  |
----------- Report -----------
2 ['The', 'The'] ('The dog barks', ';', ' the fox runs!')
Hello|Big|World HelloBigWorld
9 ['t0-0', 't0-1', 't0-2', 't1-0'] 1 6
{'pears': 2, 'plums': 0} 3 ['pears', 'plums'] dict_items([('pears', 2), ('plums', 0)])
plan ['write', 'test'] True 1
['i', 'm', 'p', 's'] 4
ADA ecalevol      'Ada' Lovelace, Ada 2 ****Ada Lovelace****
['write', 'test', 'ship'] cba 1,2,3
"#,
    );
}

/// Bytes do not exist in the simulator: `str.encode` and `int.to_bytes` say so
/// (CPython would return `b'a'` and `b'\\x00\\x05'`).
#[test]
fn bytes_methods_are_unsupported() {
    check(
        r#"t(lambda: "a".encode())
t(lambda: "a".encode("utf-8", errors="strict"))
t(lambda: (5).to_bytes(2, "big"))
"#,
        r#"TypeError str.encode() is not supported: the simulator has no bytes type
TypeError str.encode() is not supported: the simulator has no bytes type
TypeError int.to_bytes() is not supported: the simulator has no bytes type
"#,
    );
}

fn stdout(src: &str) -> Vec<String> {
    run(src, &RunOptions::default())
        .output
        .iter()
        .map(|l| l.text.clone())
        .collect()
}

/// `id()` of a string or tuple depends on its contents, not on where the
/// simulator happens to keep it: the same line prints the same ids after
/// thousands of other allocations, and equal values share an id.
#[test]
fn ids_of_strings_and_tuples_are_the_same_every_run() {
    let line = "s = 'ab' + 'c'\nt = (1, s)\nprint(id(s), id(t), id(s) == id('abc'), id(t) == id((1, 'abc')), id(s) == id(t))\n";
    let plain = stdout(line);
    let busy = stdout(&format!(
        "junk = [str(i) * 3 for i in range(3000)]\nmore = [(i, i) for i in range(3000)]\n{line}"
    ));
    assert_eq!(plain, busy);
    assert!(plain[0].ends_with("True True False"), "{plain:?}");
}
