# Under forkserver (the default from 3.14) the fork server imports this script
# as __mp_main__ once; every child is forked from it, so it sees the globals of
# that import and its parent process is the server.
import multiprocessing as mp
import os

print("top level runs as", __name__)
SETTING = "at import"


def child(main_pid):
    print("child: SETTING is", SETTING, "| parent is the main process:", os.getppid() == main_pid)


if __name__ == "__main__":
    SETTING = "changed by the parent"
    print("start method:", mp.get_start_method(), mp.get_all_start_methods())
    for i in range(2):
        p = mp.Process(target=child, args=(os.getpid(),))
        p.start()
        p.join()
    print("exit codes done")
