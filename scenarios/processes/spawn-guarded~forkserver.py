import multiprocessing
import sys

X = "original"
print("top-level code runs: __name__ =", __name__)


def child():
    print(f"child: main module is {sys.modules['__main__'].__name__}, X = {X}")


if __name__ == "__main__":
    X = "modified-by-parent"  # changed at run time, after the import
    for method in ("fork", "forkserver"):
        p = multiprocessing.get_context(method).Process(target=child)
        p.start()
        p.join()
        print(f"{method}: child exitcode =", p.exitcode)
