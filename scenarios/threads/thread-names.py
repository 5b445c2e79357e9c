import threading


def show():
    print(f"running in {threading.current_thread().name}")


class Worker(threading.Thread):
    def run(self):
        print(f"Worker.run in {self.name}")


print(f"main: {threading.current_thread().name} / {threading.main_thread().name}")
a = threading.Thread(target=show)
b = threading.Thread()
c = threading.Thread(target=show, name="Fetcher")
print(a.name)
print(b.name)
print(c.name)
c.start()
c.join()
d = threading.Thread(target=show)  # a and b never started, yet the counter moved on
d.start()
d.join()
w = Worker()
w.start()
w.join()
