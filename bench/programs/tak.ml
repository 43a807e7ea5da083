(* tak: the Takeuchi function, as tak.cam. Usage: ocamlrun tak.byte 24 16 8 *)
let rec tak x y z = if y < x then tak (tak (x - 1) y z) (tak (y - 1) z x) (tak (z - 1) x y) else z

let () =
  let arg i d = if Array.length Sys.argv > i then int_of_string Sys.argv.(i) else d in
  print_int (tak (arg 1 24) (arg 2 16) (arg 3 8));
  print_newline ()
