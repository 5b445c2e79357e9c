import threading


class Greeter(threading.Thread):
    def __init__(self, who):
        super().__init__()
        self.who = who
        self.result = None

    def run(self):
        where = threading.current_thread().name
        print(f"hello {self.who}, from {where}")
        self.result = len(self.who)


g = Greeter("world")
g.run()  # a plain method call: runs in the main thread
g.start()  # a new thread, which calls run()
g.join()
print(f"result = {g.result}; is_alive() = {g.is_alive()}")
