import multiprocessing
import threading


def grandchild():
    print("grandchild ran")


def daemon_body():
    me = multiprocessing.current_process()
    print("in daemon child: daemon =", me.daemon, "name =", me.name)
    q = multiprocessing.Process(target=grandchild)
    print("in daemon child: new Process().daemon =", q.daemon)
    print("in daemon child: new Thread().daemon =", threading.Thread(target=grandchild).daemon)
    q.start()  # AssertionError, not caught: the child exits with 1
    print("start() worked: a non-daemon process may have children")


if __name__ == "__main__":
    p = multiprocessing.Process(target=daemon_body, daemon=False)
    p.start()
    p.join()
    print("daemon child exitcode =", p.exitcode)
