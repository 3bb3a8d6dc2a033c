namespace CharRnnCode.Server.Bench;

public static class ServeBenchmark
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(1);
}
