namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>
/// Runs a checked <see cref="TreeEnsembleDocument"/> exactly as ML.NET scores it (see there), without ML.NET: splits
/// compare 32-bit floats as FastTree does, sums are kept in double. Loading refuses a document whose trees could
/// index outside the features, loop, leave a leaf unreachable or hold a non-finite number, so a bad file fails at
/// start-up, never on a call. Immutable and thread-safe.
/// </summary>
public sealed class TreeEnsemble
{
    private readonly Tree[][] _trees;
    private readonly double[] _bias;
    private readonly double[] _slope;
    private readonly double[] _offset;
    private readonly int _gate;

    private TreeEnsemble(Tree[][] trees, double[] bias, double[] slope, double[] offset, int gate)
    {
        _gate = gate;
        _trees = trees;
        _bias = bias;
        _slope = slope;
        _offset = offset;
    }

    /// <summary>Checks <paramref name="document"/> for <paramref name="classes"/> classes over <paramref name="features"/> inputs.</summary>
    /// <exception cref="InvalidDataException">The trees are not a well-formed ensemble; the message says where.</exception>
    public static TreeEnsemble FromDocument(TreeEnsembleDocument document, int classes, int features, string name)
    {
        ArgumentNullException.ThrowIfNull(document);
        var gate = -1;
        if (document.Output == TreeEnsembleDocument.EventGatePlatt)
        {
            gate = document.GateClass is { } g && g >= 0 && g < classes && classes >= 3 ? g
                : throw new InvalidDataException($"{name}: {TreeEnsembleDocument.EventGatePlatt} needs a gate_class among at least 3 classes.");
        }
        else if (document.Output != TreeEnsembleDocument.OneVersusAllPlatt)
        {
            throw new InvalidDataException($"{name}: tree output '{document.Output}' is not {TreeEnsembleDocument.OneVersusAllPlatt} nor {TreeEnsembleDocument.EventGatePlatt}.");
        }

        if (document.Classes.Count != classes)
        {
            throw new InvalidDataException($"{name}: {classes} classes need {classes} tree ensembles, found {document.Classes.Count}.");
        }

        var trees = new Tree[classes][];
        for (var c = 0; c < classes; c++)
        {
            var part = document.Classes[c] ?? throw new InvalidDataException($"{name}: class {c} has no trees.");
            if (!double.IsFinite(part.Bias) || !double.IsFinite(part.PlattSlope) || !double.IsFinite(part.PlattOffset))
            {
                throw new InvalidDataException($"{name}: class {c}: bias and Platt parameters must be finite.");
            }

            trees[c] = [.. part.Trees.Select((t, i) => Tree.Check(t, features, $"{name}: class {c} tree {i}"))];
        }

        return new TreeEnsemble(
            trees,
            [.. document.Classes.Select(p => p.Bias)],
            [.. document.Classes.Select(p => p.PlattSlope)],
            [.. document.Classes.Select(p => p.PlattOffset)],
            gate);
    }

    /// <summary>Class probabilities for <paramref name="inputs"/> (the model's features, in its order).</summary>
    public double[] Predict(ReadOnlySpan<float> inputs)
    {
        var probabilities = new double[_trees.Length];
        var sum = 0.0;
        for (var c = 0; c < _trees.Length; c++)
        {
            var score = _bias[c];
            foreach (var tree in _trees[c])
            {
                score += tree.Output(inputs);
            }

            // ML.NET's Platt output is a float; the normalisation below then clamps at zero and sums in double.
            var p = (double)(float)(1 / (1 + Math.Exp((_slope[c] * (float)score) + _offset[c])));
            probabilities[c] = p;
            sum += c == _gate ? 0 : p;
        }

        // Two stages: the events share what the gate leaves (1 − P(none)); one stage: all classes share 1.
        var share = _gate >= 0 ? 1 - probabilities[_gate] : 1;
        if (sum > 0)
        {
            for (var c = 0; c < probabilities.Length; c++)
            {
                probabilities[c] = c == _gate ? probabilities[c] : share * probabilities[c] / sum;
            }
        }

        return probabilities;
    }

    /// <summary>
    /// Adds to <paramref name="perFeature"/> each input's part in class <paramref name="classIndex"/>'s score, in
    /// logits of that class's Platt-calibrated probability: along every tree's path, the step from a node to the child
    /// taken (the mean of the child's leaves minus the mean of the node's) is credited to the node's split feature
    /// (Saabas' path attribution, with unweighted subtree means because FastTree exports no node counts). The parts
    /// sum exactly to the class's score minus what every tree's root alone would give, times −slope. With two stages
    /// (<see cref="TreeEnsembleDocument.EventGatePlatt"/>) an event class's parts add the gate's, in logits of "an event".
    /// </summary>
    public void AddContributions(ReadOnlySpan<float> inputs, int classIndex, Span<double> perFeature)
    {
        var scale = -_slope[classIndex];
        foreach (var tree in _trees[classIndex])
        {
            tree.AddContributions(inputs, perFeature, scale);
        }

        // Two stages: an event's cues also carry the gate's, turned towards "an event" (the gate's logit of none, negated).
        if (_gate >= 0 && classIndex != _gate)
        {
            foreach (var tree in _trees[_gate])
            {
                tree.AddContributions(inputs, perFeature, _slope[_gate]);
            }
        }
    }

    private sealed class Tree
    {
        private readonly double _weight;
        private readonly int[] _feature;
        private readonly float[] _threshold;
        private readonly int[] _left;
        private readonly int[] _right;
        private readonly double[] _leaves;

        /// <summary>Mean leaf value under each internal node (the attribution's node value).</summary>
        private readonly double[] _nodeMean;

        private Tree(TreeDocument d)
        {
            _weight = d.Weight;
            _feature = [.. d.SplitFeature];
            _threshold = [.. d.Threshold.Select(t => (float)t)];
            _left = [.. d.Left];
            _right = [.. d.Right];
            _leaves = [.. d.LeafValues];
            _nodeMean = new double[_feature.Length];
            if (_feature.Length > 0)
            {
                SubtreeSum(0);
            }
        }

        private (double Sum, int Leaves) SubtreeSum(int child)
        {
            if (child < 0)
            {
                return (_leaves[~child], 1);
            }

            var (leftSum, leftLeaves) = SubtreeSum(_left[child]);
            var (rightSum, rightLeaves) = SubtreeSum(_right[child]);
            _nodeMean[child] = (leftSum + rightSum) / (leftLeaves + rightLeaves);
            return (leftSum + rightSum, leftLeaves + rightLeaves);
        }

        public void AddContributions(ReadOnlySpan<float> inputs, Span<double> perFeature, double scale)
        {
            var node = 0;
            while (node >= 0 && _feature.Length > 0)
            {
                var child = inputs[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
                var childValue = child < 0 ? _leaves[~child] : _nodeMean[child];
                perFeature[_feature[node]] += scale * _weight * (childValue - _nodeMean[node]);
                node = child;
            }
        }

        public static Tree Check(TreeDocument? d, int features, string where)
        {
            if (d is null)
            {
                throw new InvalidDataException($"{where}: missing.");
            }

            var nodes = d.SplitFeature.Count;
            if (d.Threshold.Count != nodes || d.Left.Count != nodes || d.Right.Count != nodes || d.LeafValues.Count != nodes + 1)
            {
                throw new InvalidDataException($"{where}: {nodes} internal nodes need {nodes} thresholds, left and right children and {nodes + 1} leaves.");
            }

            if (!double.IsFinite(d.Weight) || d.Threshold.Any(t => !float.IsFinite((float)t)) || d.LeafValues.Any(v => !double.IsFinite(v)))
            {
                throw new InvalidDataException($"{where}: weight, thresholds and leaf values must be finite.");
            }

            if (d.SplitFeature.Any(f => f < 0 || f >= features))
            {
                throw new InvalidDataException($"{where}: a split feature is outside 0…{features - 1}.");
            }

            // Every internal node but the root and every leaf must be some node's child exactly once: with nodes + 1
            // leaves that makes a tree reachable from node 0 with no cycle (a cycle would leave a node unreached).
            var seenNode = new bool[nodes];
            var seenLeaf = new bool[nodes + 1];
            foreach (var child in d.Left.Concat(d.Right))
            {
                var leaf = child < 0;
                var index = leaf ? ~child : child;
                if (leaf ? index > nodes : index >= nodes || index == 0)
                {
                    throw new InvalidDataException($"{where}: child {child} points outside the tree (or back to the root).");
                }

                ref var seen = ref leaf ? ref seenLeaf[index] : ref seenNode[index];
                if (seen)
                {
                    throw new InvalidDataException($"{where}: node or leaf {child} has two parents (a cycle or a shared subtree).");
                }

                seen = true;
            }

            if (nodes > 0 && (seenNode.Skip(1).Any(s => !s) || seenLeaf.Any(s => !s) || Reachable(d) != nodes))
            {
                throw new InvalidDataException($"{where}: a node or leaf is unreachable from the root (or the tree has a cycle).");
            }

            return new Tree(d);
        }

        /// <summary>Internal nodes reached from the root (terminates: every node has at most one parent, checked before).</summary>
        private static int Reachable(TreeDocument d)
        {
            var count = 0;
            var pending = new Stack<int>([0]);
            while (pending.TryPop(out var node))
            {
                count++;
                foreach (var child in (int[])[d.Left[node], d.Right[node]])
                {
                    if (child >= 0)
                    {
                        pending.Push(child);
                    }
                }
            }

            return count;
        }

        public double Output(ReadOnlySpan<float> inputs)
        {
            if (_feature.Length == 0)
            {
                return _weight * _leaves[0];
            }

            var node = 0;
            while (node >= 0)
            {
                node = inputs[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
            }

            return _weight * _leaves[~node];
        }
    }
}
