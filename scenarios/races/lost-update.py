import threading

counter = 0


def add_one(value):
    return value + 1


def work():
    global counter
    for _ in range(3):
        # Read counter, call add_one, write the result back: if the GIL
        # passes to the other thread during the call, one update is lost.
        counter = add_one(counter)


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"counter = {counter} (3 increments in each of 2 threads)")
