namespace Shared.Contract.Tests.Architecture;

/// <summary>A directed graph of names (namespaces or projects) that can tell whether it has a cycle.</summary>
public sealed class DependencyGraph
{
    private readonly SortedDictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);

    /// <summary>The nodes, each with the nodes it depends on.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Edges => _edges;

    /// <summary>Adds a node with no edges (a no-op when it is there).</summary>
    public void AddNode(string node)
    {
        if (!_edges.ContainsKey(node))
        {
            _edges[node] = new SortedSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>Records that <paramref name="from"/> depends on <paramref name="to"/>.</summary>
    public void AddEdge(string from, string to)
    {
        AddNode(from);
        AddNode(to);
        _edges[from].Add(to);
    }

    /// <summary>
    /// The first cycle found, as its path from a node back to itself (<c>A, B, A</c>), or null when there is
    /// none. Nodes are visited in ordinal order, so the answer is the same on every run.
    /// </summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path; true: done
        var path = new List<string>();
        foreach (var node in _edges.Keys)
        {
            if (!state.ContainsKey(node) && Visit(node, state, path) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    /// <summary>
    /// The groups of nodes that depend on each other (strongly connected components of more than one node, or one
    /// node depending on itself), each sorted, in ordinal order of their first node.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> FindCycleGroups()
    {
        var groups = new List<IReadOnlyList<string>>();
        foreach (var node in _edges.Keys)
        {
            if (groups.Any(group => group.Contains(node)))
            {
                continue;
            }

            var reachable = Reachable(node);
            var group = reachable.Where(other => Reachable(other).Contains(node)).Order(StringComparer.Ordinal).ToList();
            if (group.Count > 1 || _edges[node].Contains(node))
            {
                groups.Add(group);
            }
        }

        return groups;
    }

    /// <summary>The graph of <paramref name="nodes"/> and the edges between them.</summary>
    public DependencyGraph Within(IEnumerable<string> nodes)
    {
        var kept = new HashSet<string>(nodes, StringComparer.Ordinal);
        var graph = new DependencyGraph();
        foreach (var node in kept)
        {
            graph.AddNode(node);
            foreach (var next in _edges[node].Where(kept.Contains))
            {
                graph.AddEdge(node, next);
            }
        }

        return graph;
    }

    private HashSet<string> Reachable(string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var pending = new Stack<string>([start]);
        while (pending.TryPop(out var node))
        {
            foreach (var next in _edges[node].Where(seen.Add))
            {
                pending.Push(next);
            }
        }

        return seen;
    }

    private List<string>? Visit(string node, Dictionary<string, bool> state, List<string> path)
    {
        state[node] = false;
        path.Add(node);
        foreach (var next in _edges[node])
        {
            if (!state.TryGetValue(next, out var done))
            {
                if (Visit(next, state, path) is { } cycle)
                {
                    return cycle;
                }
            }
            else if (!done)
            {
                var start = path.IndexOf(next);
                return [.. path.Skip(start), next];
            }
        }

        path.RemoveAt(path.Count - 1);
        state[node] = true;
        return null;
    }
}
