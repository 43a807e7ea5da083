; (\x -> x + 4) 3 in SynchronVM's calling convention: the argument goes on the stack, the
; function value (a combinator: a closed lambda) in env, then APP.
.format synchronvm 1
.int 3
.int 4

    PUSH                ; save env ()
    LOADI #0            ; the argument 3
    SWAP                ; stack: 3, env: ()
    COMB lambda         ; env: the combinator [lambda, COMB]
    APP                 ; env := 3; call lambda
    STOP                ; env = 7
lambda:
    PUSH                ; x
    LOADI #1            ; 4
    ADDI                ; x + 4
    RETURN
