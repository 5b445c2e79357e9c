from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


def boom():
    raise ValueError("boom in a worker")


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        print("map:", list(ex.map(square, range(6))))
        f = ex.submit(square, 9)
        print("submit().result():", f.result())
        g = ex.submit(boom)
        try:
            g.result()
        except ValueError as e:
            print("result() re-raises in the parent: ValueError:", e)
    print("executor shut down")
