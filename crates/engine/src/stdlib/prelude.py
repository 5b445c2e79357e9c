# concurrent.futures as the simulator runs it: Python on top of the native
# threading primitives, so every wait is an ordinary, visible wait.
import threading
import queue
import multiprocessing as _mp

FIRST_COMPLETED = 'FIRST_COMPLETED'
FIRST_EXCEPTION = 'FIRST_EXCEPTION'
ALL_COMPLETED = 'ALL_COMPLETED'

CancelledError = _CancelledError
TimeoutError = _TimeoutError
InvalidStateError = _InvalidStateError
BrokenExecutor = _BrokenExecutor
BrokenProcessPool = _BrokenProcessPool

_PENDING = 'PENDING'
_RUNNING = 'RUNNING'
_CANCELLED = 'CANCELLED'
_FINISHED = 'FINISHED'


def _wait_for(cond, predicate, timeout=None):
    result = predicate()
    waited = 0.0
    while not result:
        if timeout is not None:
            if waited >= timeout:
                break
            start = _now()
            cond.wait(timeout - waited)
            waited += _now() - start
        else:
            cond.wait()
        result = predicate()
    return result


class Future:
    def __init__(self):
        self._condition = threading.Condition()
        self._state = _PENDING
        self._result = None
        self._exception = None
        self._done_callbacks = []

    def __repr__(self):
        if self._state == _FINISHED:
            if self._exception is not None:
                return '<Future at %s state=finished raised %s>' % (_addr(self), type(self._exception).__name__)
            return '<Future at %s state=finished returned %s>' % (_addr(self), type(self._result).__name__)
        return '<Future at %s state=%s>' % (_addr(self), self._state.lower())

    def cancel(self):
        with self._condition:
            if self._state in (_RUNNING, _FINISHED):
                return False
            if self._state == _CANCELLED:
                return True
            self._state = _CANCELLED
            self._condition.notify_all()
        self._invoke_callbacks()
        return True

    def cancelled(self):
        return self._state == _CANCELLED

    def running(self):
        return self._state == _RUNNING

    def done(self):
        return self._state in (_CANCELLED, _FINISHED)

    def _get_result(self):
        if self._exception is not None:
            raise self._exception
        return self._result

    def result(self, timeout=None):
        with self._condition:
            if self._state == _CANCELLED:
                raise CancelledError()
            if self._state == _FINISHED:
                return self._get_result()
            self._condition.wait(timeout)
            if self._state == _CANCELLED:
                raise CancelledError()
            if self._state == _FINISHED:
                return self._get_result()
            raise TimeoutError()

    def exception(self, timeout=None):
        with self._condition:
            if self._state == _CANCELLED:
                raise CancelledError()
            if self._state == _FINISHED:
                return self._exception
            self._condition.wait(timeout)
            if self._state == _CANCELLED:
                raise CancelledError()
            if self._state == _FINISHED:
                return self._exception
            raise TimeoutError()

    def add_done_callback(self, fn):
        with self._condition:
            if self._state not in (_CANCELLED, _FINISHED):
                self._done_callbacks.append(fn)
                return
        fn(self)

    def _invoke_callbacks(self):
        for callback in self._done_callbacks:
            try:
                callback(self)
            except Exception as e:
                print('exception calling callback for', self, file=_stderr)

    def set_running_or_notify_cancel(self):
        with self._condition:
            if self._state == _CANCELLED:
                return False
            self._state = _RUNNING
            return True

    def set_result(self, result):
        with self._condition:
            self._result = result
            self._state = _FINISHED
            self._condition.notify_all()
            _notify_waiters(self)
        self._invoke_callbacks()

    def set_exception(self, exception):
        with self._condition:
            self._exception = exception
            self._state = _FINISHED
            self._condition.notify_all()
            _notify_waiters(self)
        self._invoke_callbacks()


_waiters = []


def _notify_waiters(fut):
    for event in _waiters:
        event.set()


def wait(fs, timeout=None, return_when=ALL_COMPLETED):
    fs = list(fs)
    event = threading.Event()
    _waiters.append(event)
    waited = 0.0
    try:
        while True:
            done = [f for f in fs if f.done()]
            not_done = [f for f in fs if not f.done()]
            if return_when == FIRST_COMPLETED and done:
                break
            if return_when == FIRST_EXCEPTION and [f for f in done if not f.cancelled() and f._exception is not None]:
                break
            if not not_done:
                break
            if timeout is not None:
                if waited >= timeout:
                    break
                start = _now()
                event.wait(timeout - waited)
                waited += _now() - start
            else:
                event.wait()
            event.clear()
    finally:
        _waiters.remove(event)
    return DoneAndNotDoneFutures(set(done), set(not_done))


class DoneAndNotDoneFutures:
    def __init__(self, done, not_done):
        self.done = done
        self.not_done = not_done

    def __iter__(self):
        return iter((self.done, self.not_done))

    def __getitem__(self, i):
        return (self.done, self.not_done)[i]


class _AsCompleted:
    def __init__(self, fs, timeout):
        self._pending = list(fs)
        self._timeout = timeout
        self._start = _now()

    def __iter__(self):
        return self

    def __next__(self):
        if not self._pending:
            raise StopIteration
        while True:
            for f in self._pending:
                if f.done():
                    self._pending.remove(f)
                    return f
            remaining = None
            if self._timeout is not None:
                remaining = self._timeout - (_now() - self._start)
                if remaining <= 0:
                    raise TimeoutError('%d (of %d) futures unfinished' % (len(self._pending), len(self._pending)))
            wait(self._pending, remaining, FIRST_COMPLETED)


def as_completed(fs, timeout=None):
    return _AsCompleted(fs, timeout)


def _worker(executor):
    while True:
        item = executor._work_queue.get()
        if item is None:
            executor._work_queue.put(None)
            return
        future, fn, args, kwargs = item
        if not future.set_running_or_notify_cancel():
            continue
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
        executor._idle.release()


_executors = []
_counter = [0]


def _python_exit():
    for e in _executors:
        e.shutdown(wait=True)


_register_atexit(_python_exit)


class Executor:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.shutdown(wait=True)
        return False


class ThreadPoolExecutor(Executor):
    def __init__(self, max_workers=None, thread_name_prefix='', initializer=None, initargs=()):
        if max_workers is None:
            max_workers = min(32, _cpu_count() + 4)
        if max_workers <= 0:
            raise ValueError('max_workers must be greater than 0')
        self._max_workers = max_workers
        self._work_queue = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._threads = []
        self._shutdown = False
        _counter[0] += 1
        self._thread_name_prefix = thread_name_prefix or ('ThreadPoolExecutor-%d' % (_counter[0] - 1))
        _executors.append(self)

    def submit(self, fn, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError('cannot schedule new futures after shutdown')
        f = Future()
        self._work_queue.put((f, fn, args, kwargs))
        self._adjust_thread_count()
        return f

    def _adjust_thread_count(self):
        if self._idle.acquire(timeout=0):
            return
        n = len(self._threads)
        if n < self._max_workers:
            t = threading.Thread(name='%s_%d' % (self._thread_name_prefix, n), target=_worker, args=(self,))
            self._threads.append(t)
            t.start()

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        fs = [self.submit(fn, *args) for args in zip(*iterables)]
        return _MapResults(fs, timeout)

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True
        if cancel_futures:
            while True:
                try:
                    item = self._work_queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[0].cancel()
        self._work_queue.put(None)
        if wait:
            for t in self._threads:
                t.join()


class _MapResults:
    def __init__(self, fs, timeout):
        self._fs = list(fs)
        self._fs.reverse()
        self._timeout = timeout

    def __iter__(self):
        return self

    def __next__(self):
        if not self._fs:
            raise StopIteration
        return self._fs.pop().result(self._timeout)


def _list(iterable):
    # list() of a Python-level iterator: a real loop, so its waits can block.
    result = []
    for item in iterable:
        result.append(item)
    return result


# multiprocessing's parts written in Python: a child's bootstrap and the
# exit handler registered at the first Process.start().

def _exit_function():
    for p in _active_children():
        if p.daemon:
            _terminate_quietly(p)
    for p in _active_children():
        p.join()


def _child_main(process):
    code = 0
    try:
        process.run()
    except SystemExit as e:
        code = _system_exit_code(e)
    except BaseException as e:
        _report_process_error(process, e)
        code = 1
    _exit_function()
    _child_exit(code)


def _spawn_main():
    _run_main_module()
    process = _rebuild_process()
    _child_main(process)


def _forkserver_main():
    try:
        _run_main_module()
    except BaseException:
        if not _forkserver_import_failed():
            raise
    while True:
        _forkserver_next()


def _forkserver_child():
    if _forkserver_must_reimport():
        _run_main_module()
    process = _rebuild_process()
    _child_main(process)


# multiprocessing.Pool and concurrent.futures.ProcessPoolExecutor: worker
# processes fed through multiprocessing queues.

_POOL_WORKER_PREFIX = {'fork': 'Fork', 'spawn': 'Spawn', 'forkserver': 'ForkServer'}


def _pool_worker(inq, outq, initializer, initargs):
    if initializer is not None:
        initializer(*initargs)
    while True:
        task = inq.get()
        if task is None:
            break
        job, func, args, kwds = task
        try:
            result = (True, func(*args, **kwds))
        except Exception as e:
            result = (False, e)
        outq.put((job, result))


class AsyncResult:
    def __init__(self, pool, job, callback, error_callback):
        self._pool = pool
        self._job = job
        self._callback = callback
        self._error_callback = error_callback

    def ready(self):
        return self._job in self._pool._results

    def successful(self):
        if not self.ready():
            raise ValueError('%r not ready' % self)
        return self._pool._results[self._job][0]

    def wait(self, timeout=None):
        self._pool._wait_for(self._job, timeout)

    def get(self, timeout=None):
        self._pool._wait_for(self._job, timeout)
        if self._job not in self._pool._results:
            raise _MpTimeoutError()
        ok, value = self._pool._results[self._job]
        if ok:
            return value
        raise value


class Pool:
    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        if processes is None:
            processes = _cpu_count()
        if processes < 1:
            raise ValueError('Number of processes must be at least 1')
        self._inq = _mp.Queue()
        self._outq = _mp.Queue()
        self._results = {}
        self._next = 0
        self._state = 'RUN'
        self._pool = []
        for i in range(processes):
            p = _mp.Process(target=_pool_worker, args=(self._inq, self._outq, initializer, initargs), daemon=True)
            p.name = _POOL_WORKER_PREFIX[_mp.get_start_method()] + 'PoolWorker-%d' % (i + 1)
            p.start()
            self._pool.append(p)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.terminate()

    def _check_running(self):
        if self._state != 'RUN':
            raise ValueError('Pool not running')

    def _submit(self, func, args, kwds):
        self._check_running()
        job = self._next
        self._next += 1
        self._inq.put((job, func, args, kwds))
        return job

    def _wait_for(self, job, timeout=None):
        while job not in self._results:
            try:
                got, result = self._outq.get(timeout=timeout)
            except queue.Empty:
                return
            self._results[got] = result

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        return AsyncResult(self, self._submit(func, args, kwds), callback, error_callback)

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def map(self, func, iterable, chunksize=None):
        results = [AsyncResult(self, self._submit(func, (x,), {}), None, None) for x in iterable]
        return [r.get() for r in results]

    def starmap(self, func, iterable, chunksize=None):
        results = [AsyncResult(self, self._submit(func, tuple(x), {}), None, None) for x in iterable]
        return [r.get() for r in results]

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return _MapAsync([self.apply_async(func, (x,)) for x in iterable])

    def imap(self, func, iterable, chunksize=1):
        return iter(self.map(func, iterable))

    def imap_unordered(self, func, iterable, chunksize=1):
        return iter(self.map(func, iterable))

    def close(self):
        self._state = 'CLOSE'

    def terminate(self):
        self._state = 'TERMINATE'
        for p in self._pool:
            p.terminate()
        for p in self._pool:
            p.join()

    def join(self):
        if self._state == 'RUN':
            raise ValueError('Pool is still running')
        if self._state == 'CLOSE':
            for p in self._pool:
                self._inq.put(None)
        for p in self._pool:
            p.join()


class _MapAsync:
    def __init__(self, results):
        self._results = results

    def get(self, timeout=None):
        return [r.get(timeout) for r in self._results]

    def wait(self, timeout=None):
        for r in self._results:
            r.wait(timeout)

    def ready(self):
        return all(r.ready() for r in self._results)


class ProcessPoolExecutor(Executor):
    # The collector thread plays the executor manager thread: it waits for a
    # result or for a worker to end, and a worker that ends before shutdown
    # breaks the pool.
    def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=(), max_tasks_per_child=None):
        if max_workers is None:
            max_workers = _cpu_count()
        if max_workers <= 0:
            raise ValueError('max_workers must be greater than 0')
        self._max_workers = max_workers
        self._initializer = initializer
        self._initargs = initargs
        self._inq = _mp.Queue()
        self._outq = _mp.Queue()
        self._processes = []
        self._futures = {}
        self._next = 0
        self._shutdown = False
        self._broken = False
        self._collector = None
        _executors.append(self)

    def _start(self):
        if self._processes:
            return
        for i in range(self._max_workers):
            p = _mp.Process(target=_pool_worker, args=(self._inq, self._outq, self._initializer, self._initargs))
            p.name = _POOL_WORKER_PREFIX[_mp.get_start_method()] + p.name
            p.start()
            self._processes.append(p)
        self._collector = threading.Thread(target=self._collect, daemon=True)
        self._collector.start()

    def _collect(self):
        while True:
            ok, item = _get_or_exit(self._outq, self._processes)
            if not ok:
                self._terminate_broken()
                return
            if item is not None:
                job, result = item
                f = self._futures.pop(job)
                if result[0]:
                    f.set_result(result[1])
                else:
                    f.set_exception(result[1])
            if self._shutdown and not self._futures:
                for p in self._processes:
                    self._inq.put(None)
                for p in self._processes:
                    p.join()
                return

    def _terminate_broken(self):
        self._broken = 'A child process terminated abruptly, the process pool is not usable anymore'
        self._shutdown = True
        bpe = BrokenProcessPool('A process in the process pool was terminated abruptly while the future was running or pending.')
        if _broken_pool_names_worker:
            for p in self._processes:
                if p.exitcode is not None:
                    bpe.__cause__ = _RemoteTraceback("\n'''\nProcess %d terminated abruptly with exit code %d'''" % (p.pid, p.exitcode))
                    break
        futures = self._futures
        self._futures = {}
        for job in futures:
            f = futures[job]
            if not f.done():
                f.set_exception(bpe)
        for p in self._processes:
            p.terminate()
        for p in self._processes:
            p.join()

    def submit(self, fn, *args, **kwargs):
        if self._broken:
            raise BrokenProcessPool(self._broken)
        if self._shutdown:
            raise RuntimeError('cannot schedule new futures after shutdown')
        self._start()
        f = Future()
        job = self._next
        self._next += 1
        self._futures[job] = f
        self._inq.put((job, fn, args, kwargs))
        return f

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        fs = [self.submit(fn, *args) for args in zip(*iterables)]
        return _MapResults(fs, timeout)

    def terminate_workers(self):
        _require('ProcessPoolExecutor.terminate_workers')
        self._force_shutdown('terminate')

    def kill_workers(self):
        _require('ProcessPoolExecutor.kill_workers')
        self._force_shutdown('kill')

    def _force_shutdown(self, operation):
        processes = list(self._processes)
        self.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            if p.is_alive():
                getattr(p, operation)()

    def shutdown(self, wait=True, *, cancel_futures=False):
        if not self._shutdown:
            self._shutdown = True
            if self._collector is not None:
                # Wakes the collector, which stops the workers once no future is pending.
                self._outq.put(None)
        if wait and self._collector is not None:
            self._collector.join()
