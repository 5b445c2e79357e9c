import multiprocessing


def child():
    me = multiprocessing.current_process()
    parent = multiprocessing.parent_process()
    print("child: current_process().name =", me.name, "daemon =", me.daemon)
    print("child: parent_process().name =", parent.name)


if __name__ == "__main__":
    me = multiprocessing.current_process()
    print("start method:", multiprocessing.get_start_method())
    print("all start methods:", multiprocessing.get_all_start_methods())
    print("main: current_process().name =", me.name, "daemon =", me.daemon)
    print("main: parent_process() =", multiprocessing.parent_process())
    a = multiprocessing.Process(target=child)
    b = multiprocessing.Process(target=child, name="worker")
    c = multiprocessing.Process(target=child)
    print("names at construction:", a.name, b.name, c.name)
    a.start()
    a.join()
    b.start()
    b.join()
    print("c never started: exitcode =", c.exitcode, "pid =", c.pid)
