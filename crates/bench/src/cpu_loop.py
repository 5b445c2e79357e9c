import threading

def work():
    acc = 0
    i = 0
    while i < 1000000:
        acc += i % 7
        i += 1
    return acc

threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
