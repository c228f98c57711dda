#!/bin/sh
# A master that says it is ready and then dies: the runner must call this
# inconclusive (a harness failure), never fix-ineffective.
echo '{"event":"ready","port":1,"pid":'$$',"variant":"fixed"}'
echo "simulated crash" >&2
exit 3
