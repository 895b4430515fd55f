using System.Text;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics;

/// <summary>
/// Writes small ONNX models byte by byte (no onnx package exists here): just enough of onnx.proto's ModelProto,
/// GraphProto, NodeProto, AttributeProto, TensorProto and ValueInfoProto for the classifier tests.
/// Field numbers are onnx.proto's (ir_version 8, opset 13).
/// </summary>
internal static class TinyOnnxModel
{
    /// <summary>
    /// A "loudness classifier": <c>input f32[1, N]</c> → mean |x| → [1,1] · W[1,2] + B[2] → <c>output [1, 2]</c>.
    /// With W = [k, −k], B = [−k·t, k·t], class 0 wins when mean |x| &gt; t (loud), class 1 when quieter.
    /// </summary>
    public static byte[] Loudness(float threshold, bool softmax, int classes = 2, string inputName = "input", string outputName = "output")
    {
        const float K = 200f;
        var weights = new float[classes];
        var bias = new float[classes];
        weights[0] = K;
        bias[0] = -K * threshold;
        weights[1] = -K;
        bias[1] = K * threshold;
        var nodes = new List<byte[]>
        {
            Node("Abs", [inputName], ["abs"]),
            Node("ReduceMean", ["abs"], ["level"], IntsAttribute("axes", [1]), IntAttribute("keepdims", 1)),
            Node("MatMul", ["level", "W"], ["scaled"]),
            Node("Add", ["scaled", "B"], [softmax ? "logits" : outputName]),
        };
        if (softmax)
        {
            nodes.Add(Node("Softmax", ["logits"], [outputName], IntAttribute("axis", 1)));
        }

        var graph = Message(
            [.. nodes.Select(n => Field(1, n)),
             String(2, "loudness"),
             Field(5, FloatTensor("W", [1, classes], weights)),
             Field(5, FloatTensor("B", [classes], bias)),
             Field(11, ValueInfo(inputName, [1, -1])),
             Field(12, ValueInfo(outputName, [1, classes]))]);
        return Message(
            Varint(1, 8),
            String(2, "StepAudio.Telephony.Tests"),
            Field(7, graph),
            Field(8, Message(String(1, string.Empty), Varint(2, 13))));
    }

    /// <summary>
    /// A log-mel model: <c>input f32[1, T, F]</c> (or [1, F, T]) → mean over both axes → [1,1] · W + B → softmax.
    /// Louder audio has higher log-mel energies, so class 0 wins above <paramref name="threshold"/> (in log units).
    /// </summary>
    public static byte[] LogMelLoudness(float threshold, int melBins, bool timeFirst)
    {
        const float K = 10f;
        var graph = Message(
            Field(1, Node("ReduceMean", ["input"], ["level"], IntsAttribute("axes", [2]), IntAttribute("keepdims", 0))),
            Field(1, Node("ReduceMean", ["level"], ["level2"], IntsAttribute("axes", [1]), IntAttribute("keepdims", 1))),
            Field(1, Node("MatMul", ["level2", "W"], ["scaled"])),
            Field(1, Node("Add", ["scaled", "B"], ["logits"])),
            Field(1, Node("Softmax", ["logits"], ["output"], IntAttribute("axis", 1))),
            String(2, "logmel"),
            Field(5, FloatTensor("W", [1, 2], [K, -K])),
            Field(5, FloatTensor("B", [2], [-K * threshold, K * threshold])),
            Field(11, ValueInfo("input", timeFirst ? [1, -1, melBins] : [1, melBins, -1])),
            Field(12, ValueInfo("output", [1, 2])));
        return Message(Varint(1, 8), Field(7, graph), Field(8, Message(String(1, string.Empty), Varint(2, 13))));
    }

    private static byte[] Node(string op, string[] inputs, string[] outputs, params byte[][] attributes) =>
        Message([.. inputs.Select(i => String(1, i)), .. outputs.Select(o => String(2, o)), String(4, op), .. attributes.Select(a => Field(5, a))]);

    // AttributeProto: name = 1, i = 3, ints = 8, type = 20 (INT = 2, INTS = 7).
    private static byte[] IntAttribute(string name, long value) => Message(String(1, name), Varint(3, value), Varint(20, 2));

    private static byte[] IntsAttribute(string name, long[] values) =>
        Message([String(1, name), .. values.Select(v => Varint(8, v)), Varint(20, 7)]);

    // TensorProto: dims = 1, data_type = 2 (FLOAT = 1), float_data = 4 (packed), name = 8.
    private static byte[] FloatTensor(string name, long[] dims, float[] values) =>
        Message([.. dims.Select(d => Varint(1, d)), Varint(2, 1), Field(4, [.. values.SelectMany(BitConverter.GetBytes)]), String(8, name)]);

    // ValueInfoProto { name = 1, type = 2 { tensor_type = 1 { elem_type = 1, shape = 2 { dim = 1 { dim_value = 1 | dim_param = 2 } } } } }.
    private static byte[] ValueInfo(string name, long[] dims)
    {
        var shape = Message([.. dims.Select(d => Field(1, d >= 0 ? Varint(1, d) : String(2, "n")))]);
        var tensorType = Message(Varint(1, 1), Field(2, shape));
        return Message(String(1, name), Field(2, Message(Field(1, tensorType))));
    }

    private static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    private static byte[] String(int field, string value) => Field(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Field(int field, byte[] payload) => [.. Raw((ulong)((field << 3) | 2)), .. Raw((ulong)payload.Length), .. payload];

    private static byte[] Varint(int field, long value) => [.. Raw((ulong)(field << 3)), .. Raw((ulong)value)];

    private static byte[] Raw(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }
}
