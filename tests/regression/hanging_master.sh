#!/bin/sh
# A master that says it is ready and then never answers: the runner must give
# up within its deadlines, kill it, and call the run inconclusive.
echo '{"event":"ready","port":1,"pid":'$$',"variant":"fixed"}'
exec sleep 600
