x = 3.14159
n = 1234567
name = "Ada"
print(f"{x:.2f} {x:8.3f}| {n:,} {n:>12} {name:^9}|{name!r}")
print(f"{0.5:.0%} {255:x} {255:#o} {7:03d} {-7:+d} {1e-7} {1e16} {2.5e-3:g}")
print("%s is %d years, %.1f%%" % (name, 36, 99.5))
print("%-6s|%6s|%05.1f" % ("ab", "cd", 3.14159))
print("{} + {} = {}".format(1, 2, 3), "{0}{1}{0}".format("a", "b"), "{k}".format(k="v"))
print(1 / 3, 2 / 2, 10 // 3, -10 // 3, 10 % 3, -10 % 3, 2 ** 10, 7.0 // 2)
print(round(2.5), round(3.5), round(2.675, 2), abs(-4), divmod(17, 5))
print(int("42") + 1, float("1.5"), str(12) + "!", bool(""), bool("x"), int(3.9), int(-3.9))
print(min(3, 1, 2), max([4, 9, 2]), sum([1, 2, 3]), sorted([3, 1, 2], reverse=True))
print(sorted(["bb", "a", "ccc"], key=len), list(reversed([1, 2, 3])))
print(list(zip("ab", [1, 2, 3])), list(enumerate("xy", start=1)))
t = (1, 2, 3)
a, *rest = t
first, (p, q) = 0, (8, 9)
print(a, rest, first, p, q)
d = {"b": 2, "a": 1}
d["c"] = 3
del d["b"]
print(d, list(d), len(d), "a" in d, d.get("z", 0))
s = {3, 1, 2}
s.add(2)
print(sorted(s), len(s), {1, 2} | {3}, {1, 2} & {2, 3})
print([i * i for i in range(10) if i % 2], {k: v for k, v in zip("ab", (1, 2))}, {c for c in "aab"} == {"a", "b"})
print("hello"[1:4], "hello"[::-1], [1, 2, 3, 4][1::2], (5, 6, 7)[-1])
print(1 < 2 < 3, 1 < 3 < 2, 0 or "x", "" and 5, not None, None is None)
print(repr("it's"), repr('say "hi"'), repr("a\nb"), [None, True, 1.0, "s"])
print(0.1 + 0.2, 1e300 * 10, -0.0, 100.0, 1.5e-10, 123456789012345678.0)
print(isinstance(True, int), type(1) == int, type("") is str, callable(len))
print(chr(65), ord("a"), hex(255), bin(5), any([0, 1]), all([1, 0]))
i = 0
while True:
    i += 1
    if i > 3:
        break
else:
    print("never")
for j in range(2):
    pass
else:
    print("for-else ran", j)
x = 5
x -= 2
x *= 3
x //= 2
print(x)
