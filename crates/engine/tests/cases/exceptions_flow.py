class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


def risky(n):
    if n == 0:
        raise ValueError("zero")
    if n == 1:
        raise AppError(42, "app failed")
    if n == 2:
        return {}["missing"]
    return n


for n in range(4):
    try:
        r = risky(n)
    except ValueError as e:
        print("value:", e)
    except AppError as e:
        print("app:", e.code, e, repr(e))
    except Exception as e:
        print("other:", type(e).__name__, e)
    else:
        print("ok:", r)
    finally:
        print("finally", n)


def early():
    for i in range(5):
        try:
            if i == 2:
                return f"returned at {i}"
        finally:
            print("cleanup", i)
    return "end"


print(early())

for i in range(4):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        print("body", i)
    finally:
        print("loop finally", i)


def nested():
    try:
        try:
            raise KeyError("k")
        except KeyError:
            raise RuntimeError("wrapped")
    except RuntimeError as e:
        print("caught", e, "context:", repr(e.__context__))


nested()
try:
    try:
        1 / 0
    finally:
        print("inner finally runs")
except ZeroDivisionError as e:
    print("outer caught:", e)
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("assert:", e)
try:
    raise ValueError
except ValueError as e:
    print("bare class:", repr(e), str(e) == "")
try:
    x = undefined_name
except NameError as e:
    print(e)
try:
    [1, 2][5]
except IndexError as e:
    print(e)
try:
    int("abc")
except ValueError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
try:
    None.attr
except AttributeError as e:
    print(e)


def deep(n):
    return deep(n + 1)


try:
    deep(0)
except RecursionError as e:
    print("RecursionError:", e)
try:
    {}.pop("nothing")
except KeyError as e:
    print("KeyError", e)
raise AppError(7, "unhandled at the end")
