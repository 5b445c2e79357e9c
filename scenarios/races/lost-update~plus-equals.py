import threading

counter = 0


def work():
    global counter
    for _ in range(3):
        # Read, add, write with no call in between: CPython 3.13 only switches
        # threads at a call or at the end of a loop pass, never inside this line.
        counter += 1


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"counter = {counter} (3 increments in each of 2 threads)")
