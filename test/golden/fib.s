; Sense-VM image, format version 1: labels are code offsets
.format sensevm 1
.int 10                         ; #0
.int 2                          ; #1
.int 1                          ; #2
.metadata {"dataTypes":[],"source":"fib.cam","mainType":{"kind":"int"}}

    LOADI #0                    ; @0  = 10  fib.cam:4:12
    CALL L7                     ; @3  fib.cam:4:8
    STOP                        ; @6
L7:
    PUSH                        ; @7  fib.cam:3:9
    LTIK #1                     ; @8  = 2  fib.cam:3:12
    GOTOFALSE L15               ; @11  fib.cam:3:9
    RETURN                      ; @14  fib.cam:3:5
L15:
    PUSH                        ; @15  fib.cam:3:30
    MINIK #2                    ; @16  = 1  fib.cam:3:34
    CALL L7                     ; @19  fib.cam:3:30
    SWAP                        ; @22
    MINIK #1                    ; @23  = 2  fib.cam:3:48
    CALL L7                     ; @26  fib.cam:3:44
    ADDI                        ; @29  fib.cam:3:30
    RETURN                      ; @30

.debug 0 3 "fib.cam" 4 12
.debug 3 3 "fib.cam" 4 8
.debug 7 1 "fib.cam" 3 9
.debug 8 3 "fib.cam" 3 12
.debug 11 3 "fib.cam" 3 9
.debug 14 1 "fib.cam" 3 5
.debug 15 1 "fib.cam" 3 30
.debug 16 3 "fib.cam" 3 34
.debug 19 4 "fib.cam" 3 30
.debug 23 3 "fib.cam" 3 48
.debug 26 3 "fib.cam" 3 44
.debug 29 2 "fib.cam" 3 30
