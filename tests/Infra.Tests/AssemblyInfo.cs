// The CDK runs in one jsii (Node.js) kernel per process, which serves one caller at a time: test
// classes that synthesize stacks concurrently corrupt each other's object references.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
