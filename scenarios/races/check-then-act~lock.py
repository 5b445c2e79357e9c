import threading

tickets = 1
sold_to = []
box_office = threading.Lock()


def sell(customer):
    sold_to.append(customer)


def buy(customer):
    global tickets
    with box_office:  # the check and the act happen together
        if tickets > 0:
            sell(customer)
            tickets -= 1


buyers = [threading.Thread(target=buy, args=(name,)) for name in ("Ana", "Ben")]
for b in buyers:
    b.start()
for b in buyers:
    b.join()
print(f"tickets left: {tickets}")
print(f"sold to: {', '.join(sold_to)}")
