import threading

counter = 0
counter_lock = threading.Lock()


def add_one(value):
    return value + 1


def work():
    global counter
    for _ in range(3):
        with counter_lock:  # the read and the write now happen together
            counter = add_one(counter)


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"counter = {counter} (3 increments in each of 2 threads)")
