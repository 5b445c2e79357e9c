import multiprocessing


def myProcess():
    while True:  # busy: burns CPU, never ends
        pass


if __name__ == '__main__':
    p1 = multiprocessing.Process(target=myProcess, daemon=True)
    p2 = multiprocessing.Process(target=myProcess, daemon=False)
    p1.start()
    p2.start()
    print("p1 daemon:", p1.daemon, "alive:", p1.is_alive())
    print("p2 daemon:", p2.daemon, "alive:", p2.is_alive())
    print("parent:", multiprocessing.current_process().name)
    print("ending")
