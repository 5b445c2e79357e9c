import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("map:", pool.map(square, range(6)))
        print("apply:", pool.apply(square, (7,)))
        r = pool.apply_async(square, (8,))
        print("apply_async().get():", r.get(timeout=2))
        print("imap:", list(pool.imap(square, [1, 2, 3])))
    print("pool closed")
