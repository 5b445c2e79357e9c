import multiprocessing


def child():
    print("child ran")


# no `if __name__ == "__main__":` guard
print("top-level code runs: __name__ =", __name__)
ctx = multiprocessing.get_context("fork")
p = ctx.Process(target=child)
p.start()
p.join()
print("exitcode:", p.exitcode)
