counter = 0


def bump():
    global counter
    counter += 1
    return counter


def make_adder(n):
    def add(x):
        return x + n
    return add


def make_counter():
    count = 0

    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc


add5 = make_adder(5)
print(add5(10), make_adder(-1)(1))
c = make_counter()
print(c(), c(), c(10))
bump()
bump()
print("counter", counter)
square = lambda v: v * v
print([square(i) for i in range(5)])
fs = [lambda i=i: i * 10 for i in range(3)]
print([f() for f in fs])


def outer():
    x = "outer"

    def middle():
        def inner():
            return x
        return inner()
    return middle()


print(outer())


def varargs(a, b=2, *rest, key="k", **extra):
    return a, b, rest, key, sorted(extra.items())


print(varargs(1))
print(varargs(1, 3, 4, 5, key="z", q=1, p=2))
args = (7, 8)
kw = {"key": "kw"}
print(varargs(*args, **kw))
try:
    varargs()
except TypeError as e:
    print("TypeError:", e)
try:
    varargs(1, nope=2, key=3, b=4)
    print("extra ok")
except TypeError as e:
    print("TypeError:", e)
