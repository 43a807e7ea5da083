(* fib: naive doubly-recursive Fibonacci, as fib.cam. Usage: ocamlrun fib.byte 32 *)
let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2)

let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 32 in
  print_int (fib n);
  print_newline ()
