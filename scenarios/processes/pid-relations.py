import multiprocessing
import os


def child(q, parent_pid):
    q.put(os.getpid())
    print("child: os.getppid() == parent's os.getpid():", os.getppid() == parent_pid)
    print("child: os.getpid() != parent's pid:", os.getpid() != parent_pid)
    print("child: current_process().pid == os.getpid():",
          multiprocessing.current_process().pid == os.getpid())


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=child, args=(q, os.getpid()))
    print("before start(): p.pid =", p.pid)
    p.start()
    reported = q.get()
    p.join()
    print("parent: p.pid == the pid the child reported:", p.pid == reported)
    print("parent: current_process().pid == os.getpid():",
          multiprocessing.current_process().pid == os.getpid())
