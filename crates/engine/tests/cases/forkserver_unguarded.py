# Without the __main__ guard, the fork server's import of the script reaches
# start() itself: multiprocessing refuses there, the server exits, and the
# parent's start() loses its connection to it.
import multiprocessing as mp


def child():
    print("child ran")


print("top level runs as", __name__)
p = mp.Process(target=child)
p.start()
p.join()
print("not reached under forkserver")
