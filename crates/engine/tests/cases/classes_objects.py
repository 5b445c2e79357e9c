class Animal:
    kind = "animal"

    def __init__(self, name):
        self.name = name

    def speak(self):
        return f"{self.name} makes a sound"

    def __repr__(self):
        return f"Animal({self.name!r})"

    def __str__(self):
        return f"<{self.kind} {self.name}>"


class Dog(Animal):
    kind = "dog"

    def speak(self):
        base = super().speak()
        return base + " (woof)"


class Counter:
    count = 0

    def __init__(self):
        Counter.count += 1
        self.items = []

    def __len__(self):
        return len(self.items)

    def __eq__(self, other):
        return isinstance(other, Counter) and self.items == other.items

    @property
    def size(self):
        return len(self.items)

    @staticmethod
    def describe():
        return "a counter"

    @classmethod
    def make(cls):
        return cls()


a = Animal("generic")
d = Dog("rex")
print(a.speak())
print(d.speak())
print(repr(d), str(d), d)
print(isinstance(d, Animal), isinstance(a, Dog), issubclass(Dog, Animal))
print(type(d).__name__, Dog.__name__, Dog.kind, a.kind)
c1 = Counter()
c2 = Counter.make()
c1.items.append(1)
print(len(c1), c1.size, Counter.describe(), Counter.count, c1 == c2)
c2.items.append(1)
print(c1 == c2, bool(Counter()))
print(hasattr(d, "name"), hasattr(d, "age"), getattr(d, "age", "n/a"))
setattr(d, "age", 3)
print(d.age)
print([Dog(n).speak() for n in ("a", "b")])


class Stack:
    def __init__(self):
        self._data = []

    def push(self, v):
        self._data.append(v)
        return self

    def __iter__(self):
        return iter(self._data)


s = Stack().push(1).push(2).push(3)
print(list(s), sum(s), max(s))
